import "server-only";
import { once } from "node:events";
import { finished, PassThrough, Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { BadRequestError, TooManyRequestsError } from "@/lib/errors";
import { loadDictionary } from "@/lib/clues/dictionary";
import { fieldLabel } from "@/lib/clues/field-labels";
import { normalizeClue } from "@/lib/clues/normalize";
import { maskPhoneDigits } from "@/lib/clues/phone";
import type { ClueExportQuery, ClueItem, Dictionary, ExportFormat } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";
import type { Searcher } from "@/lib/audit/schema";
import { admitSearch, recordAudit } from "@/lib/audit/trail";
import { countMatching } from "@/lib/clues/store/clue-query";
import { storeConfig } from "@/lib/db/config";
import { cluesDb } from "@/lib/clues/store/tenant";
import { exportFieldKeys, matchingRecords } from "@/lib/clues/store/export";
import { daysOfRange } from "@/lib/clues/store/freshness";
import { prepareWholeRange } from "@/lib/clues/store/read";

/**
 * `GET /api/clues/export`: every lead matching the list's filters, as a CSV or XLSX file streamed from the
 * store. Its size is known before the first byte (a count), so an export over the limit is refused while it
 * can still be a 400; after that the records are read, turned into rows and written a batch at a time, and
 * the response streams as the client reads it.
 */

/** Records read from the store per query, and so the most held in memory at a time. */
const BATCH_SIZE = 1000;
const LIST_SEPARATOR = "、";

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

type Column = { header: string; value: (item: ClueItem) => string };

const typeLabel = (type: number) => (type === 1 ? copy.exportFile.person : type === 2 ? copy.exportFile.company : String(type));
const statusLabel = (isClue: boolean) => (isClue ? copy.exportFile.clue : copy.exportFile.unassigned);

/** Customer id, type and status, then a column per field under its label, then company, tags, times and the first touch. */
function exportColumns(fieldKeys: readonly string[], dictionary: Dictionary): Column[] {
  const text = copy.exportFile;
  return [
    { header: text.customerId, value: (item) => item.customerId },
    { header: text.type, value: (item) => typeLabel(item.type) },
    { header: text.status, value: (item) => statusLabel(item.isClue) },
    ...fieldKeys.map(
      (key): Column => ({
        header: fieldLabel(key, dictionary),
        value: (item) => {
          const field = item.fields.find((f) => f.key === key);
          // Select fields show their items' labels; phone numbers arrive masked from normalizeClue.
          return (field?.labels ?? field?.values ?? []).join(LIST_SEPARATOR);
        },
      }),
    ),
    { header: text.companyName, value: (item) => item.company?.name ?? "" },
    { header: text.tags, value: (item) => item.tags.map((tag) => tag.name ?? text.unknownTag(tag.id)).join(LIST_SEPARATOR) },
    { header: text.createTime, value: (item) => item.createTime },
    { header: text.updateTime, value: (item) => item.lastUpdateTime },
    { header: text.firstTouchAt, value: (item) => item.firstTouchAt ?? "" },
    { header: text.firstTouchBy, value: (item) => item.firstTouchBy ?? "" },
  ];
}

/**
 * The file's name, in Chinese and as an ASCII fallback for clients without RFC 6266 `filename*`: the range's
 * first and last day, then type and status when filtered, and a mark when any other filter narrowed it.
 */
function exportFileName(query: ClueExportQuery): { name: string; fallback: string } {
  const days = daysOfRange(query.since, query.before);
  const range = [...new Set([days[0], days.at(-1)])].join("_");
  const narrowed = query.q !== undefined || query.companyId !== undefined || query.tag.length > 0 || Object.keys(query.fields).length > 0;
  const name = [
    copy.exportFile.fileStem,
    range,
    query.type === undefined ? undefined : typeLabel(query.type),
    query.status === undefined ? undefined : statusLabel(query.status === "clue"),
    narrowed ? copy.exportFile.filtered : undefined,
  ];
  const fallback = [
    "clues",
    range,
    query.type === undefined ? undefined : query.type === 1 ? "person" : "company",
    query.status,
    narrowed ? "filtered" : undefined,
  ];
  const join = (parts: (string | undefined)[]) => `${parts.filter((p) => p !== undefined).join("_")}.${query.format}`;
  return { name: join(name), fallback: join(fallback) };
}

/**
 * RFC 4180 CSV (CRLF, quoted as needed) in UTF-8 with a BOM, so Excel opens it as UTF-8 and shows Chinese. One
 * chunk per batch: a chunk per row (csv-stringify's stream API) spends more on HTTP framing than on the rows.
 * Also the audit export's (lib/audit/service.ts).
 */
export function csvFile(batches: AsyncIterable<string[][]>): Readable {
  async function* chunks(): AsyncGenerator<string> {
    let bom = true;
    for await (const rows of batches) {
      // A lead's text comes from web forms: a cell starting with `=`, `+`, `-` or `@` is escaped, not run as a formula.
      yield stringify(rows, { bom, record_delimiter: "windows", quote_record_delimiter: true, escape_formulas: true });
      bom = false;
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/**
 * An XLSX workbook written by ExcelJS's streaming writer: each row is committed to the zip stream as it comes
 * and then dropped. Inline strings (no shared-strings table) keep memory flat whatever the row count. The
 * writer does not wait for a slow reader, so each batch waits for the output to drain first.
 */
function xlsxFile(batches: AsyncIterable<string[][]>): Readable {
  const output = new PassThrough();
  const outputClosed = new AbortController();
  output.once("close", () => outputClosed.abort());
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(copy.exportFile.sheetName);
  (async () => {
    for await (const rows of batches) {
      if (output.destroyed) throw new Error("the download was abandoned");
      if (output.writableNeedDrain) await once(output, "drain", { signal: outputClosed.signal });
      for (const row of rows) sheet.addRow(row).commit();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return output;
}

/** The filters as the audit line records them: a phone number searched for is masked as the list shows it. */
function auditedFilters(query: ClueExportQuery) {
  const { format: _format, q, ...filters } = query;
  return q === undefined ? filters : { ...filters, q: maskPhoneDigits(q) };
}

// One count per process, also when several route bundles each load this module.
const EXPORTS_RUNNING = Symbol.for("clue-desk.exports-running");
const holder = globalThis as typeof globalThis & { [EXPORTS_RUNNING]?: number };

/**
 * A place among the exports this instance streams at once (`EXPORT_MAX_CONCURRENT`): each holds a store
 * connection's worth of reads and a file's worth of work, and on PGlite every query runs on the one event loop.
 * Answers its release (idempotent); with every place taken, a 429 with Retry-After.
 */
function takeExportPlace(): () => void {
  const running = holder[EXPORTS_RUNNING] ?? 0;
  const { exportMaxConcurrent } = storeConfig();
  if (running >= exportMaxConcurrent) {
    throw new TooManyRequestsError(`已有 ${running} 个导出正在进行，请稍后再试 (too many exports at once)`, EXPORT_RETRY_AFTER_S);
  }
  holder[EXPORTS_RUNNING] = running + 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holder[EXPORTS_RUNNING] = (holder[EXPORTS_RUNNING] ?? 1) - 1;
  };
}

/** An export of the default limit's size streams in a few seconds. */
const EXPORT_RETRY_AFTER_S = 5;

type ExportFile = { body: ReadableStream<Uint8Array>; contentType: string; fileName: { name: string; fallback: string } };

export async function exportClues(query: ClueExportQuery, who: Searcher): Promise<ExportFile> {
  await admitSearch(query.q, who);
  const release = takeExportPlace();
  try {
    return await streamExport(query, who, release);
  } catch (error) {
    release();
    throw error;
  }
}

/** The export once it has a place; `release` gives the place back when the file has been sent or abandoned. */
async function streamExport(query: ClueExportQuery, who: Searcher, release: () => void): Promise<ExportFile> {
  await prepareWholeRange(query, { requireEveryDay: true });
  const db = await cluesDb();
  const total = await countMatching(db, query);
  const { exportMaxRows } = storeConfig();
  if (total > exportMaxRows) {
    throw new BadRequestError(
      `the export would hold ${total} leads, more than the ${exportMaxRows} one export may hold: narrow the range or filters`,
    );
  }
  const [{ dictionary, index }, fieldKeys] = await Promise.all([loadDictionary(), exportFieldKeys(db, query)]);
  const columns = exportColumns(fieldKeys, dictionary);
  // Recorded before any record leaves, so no export goes unrecorded.
  await recordAudit({ action: "export", ...who, detail: { filters: auditedFilters(query), rows: total, format: query.format } }, db);

  let rowsWritten = 0;
  async function* batches(): AsyncGenerator<string[][]> {
    yield [columns.map((c) => c.header)];
    for await (const records of matchingRecords(db, query, BATCH_SIZE)) {
      yield records.map((record) => {
        const item = normalizeClue(record.record, index, record.firstTouch);
        return columns.map((c) => c.value(item));
      });
      rowsWritten += records.length;
    }
  }
  const file = query.format === "csv" ? csvFile(batches()) : xlsxFile(batches());
  // Once the first byte is sent the status is 200: a failure (or the client leaving) only cuts the download short.
  finished(file, (error) => {
    release();
    if (error) console.error(JSON.stringify({ event: "export_failed", format: query.format, rowsWritten, error: error.message }));
  });
  return { body: Readable.toWeb(file) as ReadableStream<Uint8Array>, contentType: CONTENT_TYPES[query.format], fileName: exportFileName(query) };
}
