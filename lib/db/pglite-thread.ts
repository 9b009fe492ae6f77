import "server-only";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { PGlite, Results } from "@electric-sql/pglite";

/**
 * The embedded engine behind a worker thread (pglite-worker.mjs): the request thread sends queries and receives
 * rows, so no request waits for another's query to give the event loop back, only for its own turn at the
 * engine. It offers what Drizzle's PGlite driver calls (`query`, `transaction`), so the one query layer is the
 * same Drizzle code in process or not.
 */

type Parsers = Record<number, (value: string, typeId: number) => unknown>;
type QueryOptions = { rowMode?: "array" | "object"; parsers?: Parsers };
type Queryable = { query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> };

type Reply = { id: number; result?: unknown; error?: { name: string; message: string } & Record<string, unknown> };

const WORKER_SCRIPT = path.join(process.cwd(), "lib/db/pglite-worker.mjs");

export class PGliteThread implements Queryable {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private closing = false;

  private constructor(private readonly worker: Worker) {
    worker.on("message", (reply: Reply) => {
      const call = this.pending.get(reply.id);
      if (call === undefined) return;
      this.pending.delete(reply.id);
      if (reply.error) call.reject(Object.assign(new Error(reply.error.message), reply.error));
      else call.resolve(reply.result);
    });
    worker.on("exit", (code) => {
      for (const call of this.pending.values()) call.reject(new Error(`the embedded store's thread exited (${code})`));
      this.pending.clear();
      if (this.closing) return;
      // An engine that died (a WASM abort) leaves nothing to serve or to write consistently: the process stops,
      // as it does when it loses the data dir's lock, and its supervisor starts it again.
      console.error(JSON.stringify({ event: "store_engine_exited", level: "error", code }));
      process.exit(1);
    });
  }

  /** Starts the thread and opens the data dir in it (with pg_trgm); rejects with the engine's own failure. */
  static async open(dataDir: string): Promise<PGliteThread> {
    const worker = new Worker(WORKER_SCRIPT, { workerData: { dataDir } });
    await new Promise<void>((resolve, reject) => {
      const onFirst = (message: { ready?: true; failed?: { message: string } }) => {
        worker.off("error", reject);
        if (message.ready) resolve();
        else reject(Object.assign(new Error(message.failed?.message ?? "the embedded store did not open"), message.failed));
      };
      worker.once("message", onFirst);
      worker.once("error", reject);
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    return new PGliteThread(worker);
  }

  /** Drizzle's driver takes a PGlite; this answers every call it makes. */
  asClient(): PGlite {
    return this as unknown as PGlite;
  }

  query<T>(text: string, params: unknown[] = [], options: QueryOptions = {}): Promise<Results<T>> {
    return this.run<T>(text, params, options);
  }

  /** A transaction: every query of `callback` runs in it, and every other query waits until it ends. */
  async transaction<T>(callback: (tx: Queryable) => Promise<T>): Promise<T> {
    const { tx } = (await this.call({ op: "begin" })) as { tx: number };
    let result: T;
    try {
      result = await callback({ query: (text, params = [], options = {}) => this.run(text, params, options, tx) });
    } catch (error) {
      await this.call({ op: "rollback", tx });
      throw error;
    }
    await this.call({ op: "commit", tx });
    return result;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.call({ op: "close" });
    await this.worker.terminate();
  }

  private async run<T>(text: string, params: unknown[], options: QueryOptions, tx?: number): Promise<Results<T>> {
    const parsers = options.parsers ?? {};
    // Values of the types the caller parses itself come back as text, and its parsers run here.
    const rawTypes = Object.keys(parsers).map(Number);
    const result = (await this.call({ op: "query", text, params, rowMode: options.rowMode, rawTypes, tx })) as Results<T>;
    if (rawTypes.length === 0) return result;
    result.fields.forEach((field, index) => {
      const parse = parsers[field.dataTypeID];
      if (parse === undefined) return;
      const key = options.rowMode === "array" ? index : field.name;
      for (const row of result.rows as Record<string | number, unknown>[]) {
        const value = row[key];
        if (typeof value === "string") row[key] = parse(value, field.dataTypeID);
      }
    });
    return result;
  }

  private call(message: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }
}
