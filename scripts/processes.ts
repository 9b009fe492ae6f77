import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Child processes for the scripts that run servers (the benchmark, the cluster test, the throwaway
 * PostgreSQL): free ports, starting a Node child with its output kept, waiting until it answers, stopping it.
 * A crash or Ctrl-C of the parent must not leave servers behind, so every child still running at exit is killed.
 */

const children = new Set<ChildProcess>();

process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

const READY_TIMEOUT_MS = 60_000;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running Node child: the process, and the last 20,000 characters of its output. */
export type Child = { child: ChildProcess; log: () => string };

/** Starts `node <args>`; with `onOutput`, every chunk of its output is also handed there (a log file). */
export function startChild(name: string, args: string[], env: NodeJS.ProcessEnv, onOutput?: (chunk: Buffer) => void): Child {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env });
  children.add(child);
  let log = "";
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-20_000);
    onOutput?.(d);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.once("exit", () => children.delete(child));
  child.once("error", (error) => {
    log += `\n${name}: ${error.message}`;
  });
  return { child, log: () => log };
}

/** Waits until `url` answers 2xx, failing with the child's output if it exits first or takes over a minute. */
export async function waitUntilOk(url: string, { child, log }: Child, name: string): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before it was ready:\n${log()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${name} not ready after ${READY_TIMEOUT_MS / 1000}s at ${url}:\n${log()}`);
}

/** SIGTERM, then SIGKILL after 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Runs `node <args>` to its end, output shown only on failure, bounded to `timeoutMs`. */
export async function runToEnd(name: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  const run = startChild(name, args, env);
  const timer = setTimeout(() => run.child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((resolve) => run.child.once("exit", resolve));
  clearTimeout(timer);
  if (code !== 0) {
    process.stderr.write(run.log());
    throw new Error(`${name} failed (exit ${code})`);
  }
}
