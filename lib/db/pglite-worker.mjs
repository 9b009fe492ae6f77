/**
 * The embedded engine's own thread: PGlite (Postgres compiled to WASM) runs every query synchronously on the
 * thread that calls it, so on the request thread one long query (a year's facets, an export) held every other
 * request up for seconds. Here it runs in a worker; the request thread only posts queries and receives rows
 * (pglite-thread.ts). Plain JavaScript: Node starts it as it is, outside Next's bundles.
 *
 * Messages in: { id, op: "query", text, params, rowMode, rawTypes, tx? } | { id, op: "begin" } |
 * { id, op: "commit" | "rollback", tx } | { id, op: "close" }. Out: { id, result } | { id, error }, and
 * { ready: true } | { failed } once at start.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/** Open transactions by id: PGlite keeps every other query waiting until the open one ends. */
const transactions = new Map();
let nextTransaction = 1;

function plainError(error) {
  // Postgres's fields (code, detail, constraint…) travel with the message: callers branch on `code`.
  const fields = Object.fromEntries(Object.entries(error ?? {}).filter(([, value]) => ["string", "number"].includes(typeof value)));
  return { ...fields, name: error?.name ?? "Error", message: error?.message ?? String(error) };
}

/** Values of the listed types come back as Postgres's text; the request thread applies the caller's parsers. */
const asText = (rawTypes) => Object.fromEntries((rawTypes ?? []).map((oid) => [oid, (value) => value]));

async function run(db, message) {
  switch (message.op) {
    case "query": {
      const target = message.tx === undefined ? db : transactions.get(message.tx)?.tx;
      if (target === undefined) throw new Error(`no open transaction ${message.tx}`);
      const result = await target.query(message.text, message.params, { rowMode: message.rowMode, parsers: asText(message.rawTypes) });
      return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
    }
    case "begin": {
      const id = nextTransaction++;
      const open = {};
      const begun = new Promise((resolve) => {
        // PGlite's transaction lasts until its callback settles: the callback waits for commit or rollback.
        open.ended = db.transaction(
          (tx) =>
            new Promise((commit, rollback) => {
              Object.assign(open, { tx, commit, rollback });
              resolve(null);
            }),
        );
      });
      transactions.set(id, open);
      // A BEGIN that fails ends the transaction before it began.
      const failure = await Promise.race([begun, open.ended.then(() => new Error("the transaction ended before it began"), (error) => error)]);
      if (failure) {
        transactions.delete(id);
        throw failure;
      }
      return { tx: id };
    }
    case "commit":
    case "rollback": {
      const open = transactions.get(message.tx);
      if (open === undefined) throw new Error(`no open transaction ${message.tx}`);
      transactions.delete(message.tx);
      if (message.op === "commit") {
        open.commit();
        await open.ended;
      } else {
        open.rollback(new Error("rolled back"));
        await open.ended.catch(() => undefined);
      }
      return {};
    }
    case "close":
      await db.close();
      return {};
    default:
      throw new Error(`unknown operation ${message.op}`);
  }
}

try {
  const db = await PGlite.create({ dataDir: workerData.dataDir, extensions: { pg_trgm } });
  parentPort.on("message", (message) => {
    run(db, message).then(
      (result) => parentPort.postMessage({ id: message.id, result }),
      (error) => parentPort.postMessage({ id: message.id, error: plainError(error) }),
    );
  });
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ failed: plainError(error) });
}
