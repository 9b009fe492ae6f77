import "server-only";
import { setImmediate } from "node:timers/promises";
import { sql } from "drizzle-orm";
import type { ClueFilter } from "@/lib/clues/schema";
import { filterCondition, type Position, readPage, type StoredLead, type StoredPage } from "@/lib/clues/store/clue-query";
import { rows, type StoreDb } from "@/lib/db/connection";
import { clues } from "@/lib/clues/store/tables";

/**
 * The store's side of an export: which columns the matching records need, and the records themselves in
 * keyset batches, so an export of any size holds one batch in memory at a time.
 */

/** The field keys the matching records carry, in the order the records list them (upstream order). */
export async function exportFieldKeys(db: StoreDb, filter: ClueFilter): Promise<string[]> {
  const found = await rows<{ key: string }>(
    db,
    sql`SELECT field->>'field' AS key
        FROM ${clues}, jsonb_array_elements(${clues.record}->'fields') WITH ORDINALITY AS listed(field, position)
        WHERE ${filterCondition(filter) ?? sql`true`}
        GROUP BY 1 ORDER BY min(position), 1`,
  );
  return found.map((row) => row.key);
}

/**
 * Every matching record in the filter's order, a batch at a time, read with the list's own keyset pages.
 * Between batches the event loop gets a turn (`setImmediate`): PGlite runs each query on it, so other requests'
 * queries and sockets go between an export's batches instead of after the whole export.
 */
export async function* matchingRecords(db: StoreDb, filter: ClueFilter, batchSize: number): AsyncGenerator<StoredLead[]> {
  let after: Position | null = null;
  do {
    const page: StoredPage = await readPage(db, filter, { ...(after ? { after } : {}), size: batchSize });
    if (page.records.length > 0) yield page.records;
    after = page.next;
    await setImmediate();
  } while (after !== null);
}
