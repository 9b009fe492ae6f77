import { setTimeout as sleep } from "node:timers/promises";
import { afterAll } from "vitest";
import { startChild } from "../../scripts/processes";

/**
 * Starts tests/support/store-process.ts as a child (a process holding the lead store as the server does) and
 * follows what it prints. Every child a test file starts is killed after it.
 */

export type StoreProcess = {
  child: ReturnType<typeof startChild>["child"];
  /** Its JSON lines so far, in order (other output is kept in `output`). */
  events: () => Array<Record<string, unknown>>;
  output: () => string;
  /** Milliseconds from its start to its first line matching `match` (waiting up to `timeoutMs`). */
  waitFor: (match: (event: Record<string, unknown>) => boolean, timeoutMs?: number) => Promise<number>;
  /** Its exit code once it exits (waiting up to `timeoutMs`), or the signal that ended it. */
  exited: (timeoutMs?: number) => Promise<number | NodeJS.Signals>;
  /** The number of its last committed write (0 before the first). */
  lastWrite: () => number;
};

const started: StoreProcess[] = [];
afterAll(() => {
  for (const { child } of started) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGCONT");
      child.kill("SIGKILL");
    }
  }
});

export function startStoreProcess(mode: "serve" | "count", env: NodeJS.ProcessEnv): StoreProcess {
  const startedAt = performance.now();
  const events: Array<{ at: number; event: Record<string, unknown> }> = [];
  let output = "";
  let partial = "";
  const { child } = startChild(`store process (${mode})`, ["--conditions=react-server", "--import", "tsx", "tests/support/store-process.ts", mode], env, (chunk) => {
    output += chunk.toString();
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      try {
        events.push({ at: performance.now() - startedAt, event: JSON.parse(line) as Record<string, unknown> });
      } catch {
        // a log line that only looks like JSON
      }
    }
  });
  const exit = new Promise<number | NodeJS.Signals>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  const process: StoreProcess = {
    child,
    events: () => events.map((e) => e.event),
    output: () => output,
    async waitFor(match, timeoutMs = 180_000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const found = events.find((e) => match(e.event));
        if (found) return found.at;
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the store process exited before the awaited line:\n${output}`);
        if (performance.now() > deadline) throw new Error(`no awaited line within ${timeoutMs} ms:\n${output}`);
        await sleep(20);
      }
    },
    async exited(timeoutMs = 180_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the store process did not exit within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      });
      return Promise.race([exit, timeout]).finally(() => clearTimeout(timer));
    },
    lastWrite: () => Math.max(0, ...events.filter((e) => e.event.event === "wrote").map((e) => Number(e.event.n))),
  };
  started.push(process);
  return process;
}
