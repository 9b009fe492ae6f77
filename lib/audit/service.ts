import "server-only";
import { finished, Readable } from "node:stream";
import { BadRequestError } from "@/lib/errors";
import { CURSOR_REFUSED, openKeyset, sealKeyset } from "@/lib/api/sealed-cursor";
import type { AuditActorsResponse, AuditEventItem, Auditee, AuditListQuery, AuditListResponse, AuditQueryFilter } from "@/lib/audit/schema";
import { chinaToday, formatChinaWallTime } from "@/lib/china-time";
import { CONTENT_TYPES, csvFile } from "@/lib/clues/export";
import { copy } from "@/lib/copy";
import { type AuditEvent, auditActors, type AuditFilter, type AuditPosition, countAudit, listAudit, recordAudit } from "@/lib/audit/store/events";

/**
 * What the audit routes do: a page of the trail newest first, behind a sealed cursor, the whole filtered
 * trail as a CSV file, and the users it names. Admin checks are the routes'.
 */

/** The filters a cursor belongs to: replayed with other filters it is refused, not read from a wrong place. */
function filterScope({ actor, action, since, before }: AuditFilter): string {
  return JSON.stringify(["audit", actor ?? null, action ?? null, since ?? null, before ?? null]);
}

function sealPosition(filter: AuditFilter, position: AuditPosition | null): string | null {
  return position === null ? null : sealKeyset(filterScope(filter), { key: position.at, id: position.id, extra: [] });
}

function openPosition(filter: AuditFilter, cursor: string): AuditPosition {
  const opened = openKeyset(filterScope(filter), cursor);
  if (opened === null) throw new BadRequestError(CURSOR_REFUSED);
  return { at: opened.key, id: opened.id };
}

const toItem = (event: AuditEvent): AuditEventItem => ({ ...event, at: formatChinaWallTime(event.at) });

export async function listAuditEvents({ cursor, size, ...filter }: AuditListQuery): Promise<AuditListResponse> {
  const after = cursor === undefined ? undefined : openPosition(filter, cursor);
  const page = await listAudit(filter, { ...(after ? { after } : {}), limit: size });
  return { events: page.events.map(toItem), nextCursor: sealPosition(filter, page.next) };
}

/** Everyone the trail names, for the page's user filter. */
export async function listAuditActors(): Promise<AuditActorsResponse> {
  return { actors: await auditActors() };
}

/** Events read per query while exporting, and so the most held in memory at a time. */
const BATCH_SIZE = 1000;

function csvRow(event: AuditEvent): string[] {
  return [
    formatChinaWallTime(event.at),
    copy.audit.actions[event.action],
    event.actor ?? "",
    event.client ?? "",
    event.target ?? "",
    JSON.stringify(event.detail),
  ];
}

export type AuditExportFile = { body: ReadableStream<Uint8Array>; contentType: string; fileName: { name: string; fallback: string } };

/**
 * Every matching event, newest first, as CSV. The export is itself recorded (with its filters and size)
 * before any row leaves; the file holds the events before that record, read a batch at a time.
 */
export async function exportAudit(filter: AuditQueryFilter, who: Auditee): Promise<AuditExportFile> {
  const rows = await countAudit(filter);
  const recorded = await recordAudit({ action: "audit_export", ...who, detail: { filters: filter, rows, format: "csv" } });

  let rowsWritten = 0;
  async function* batches(): AsyncGenerator<string[][]> {
    yield [[...copy.audit.csvHeader]];
    let after: AuditPosition | null = recorded;
    while (after !== null) {
      const page = await listAudit(filter, { after, limit: BATCH_SIZE });
      yield page.events.map(csvRow);
      rowsWritten += page.events.length;
      after = page.next;
    }
  }
  const file = csvFile(batches());
  finished(file, (error) => {
    if (error) console.error(JSON.stringify({ event: "audit_export_failed", rowsWritten, error: error.message }));
  });
  const day = chinaToday();
  return {
    body: Readable.toWeb(file) as ReadableStream<Uint8Array>,
    contentType: CONTENT_TYPES.csv,
    fileName: { name: `${copy.audit.fileStem}_${day}.csv`, fallback: `audit_${day}.csv` },
  };
}
