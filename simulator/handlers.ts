import { formatChinaWallTime, isWallTime, parseChinaWallTime } from "@/lib/china-time";
import {
  TANMA_PATHS,
  type UpstreamClue,
  type UpstreamClueDetail,
  type UpstreamFollowUp,
} from "@/lib/tanma/schemas";
import { decodeCursor, encodeCursor, type CursorKind, type CursorPosition } from "./cursor";
import { binarySearch, type Dataset } from "./dataset";
import { TANMA_ERRORS, TanmaError } from "./errors";

/** Turns a parsed JSON body into the envelope's `data`, or throws a TanmaError; `nowMs` is the tenant's now. */
export type Handler = (dataset: Dataset, body: Record<string, unknown>, nowMs: number) => unknown;

export const DEFAULT_PAGE_SIZE = 20;
/** INFERRED: the vendor's maximum is unpublished; larger sizes are capped rather than rejected. */
export const MAX_PAGE_SIZE = 100;

type Page<T> = { list: T[]; nextCursor: string };

/**
 * `since` inclusive, `before` exclusive, ascending by (createTime, customerId). Both bounds and the cursor
 * are found by binary search, so a page costs O(log n + size) whatever the range.
 */
function listClues(dataset: Dataset, body: Record<string, unknown>): Page<UpstreamClue> {
  const sinceSec = wallTimeSec(body.since);
  const beforeSec = wallTimeSec(body.before);
  if (sinceSec >= beforeSec) throw new TanmaError(TANMA_ERRORS.emptyRange);
  const type = typeFilter(body.type);
  const size = pageSize(body.size);
  const after = optionalCursor("clue", body.cursor);

  const { clues, createdAtSec } = dataset;
  const firstIndex = (isPast: (i: number) => boolean) => binarySearch(clues.length, isPast);
  let i = firstIndex((i) => (createdAtSec[i] ?? 0) >= sinceSec);
  if (after !== undefined) {
    i = Math.max(i, firstIndex((i) => comparePosition(createdAtSec[i] ?? 0, clues[i]?.customerId ?? 0, after) > 0));
  }
  const end = firstIndex((i) => (createdAtSec[i] ?? 0) >= beforeSec);

  const list: UpstreamClue[] = [];
  let last: CursorPosition | undefined;
  for (; i < end && list.length < size; i++) {
    const clue = clues[i];
    if (clue === undefined || (type !== undefined && clue.type !== type)) continue;
    list.push(clue);
    last = { sec: createdAtSec[i] ?? 0, id: clue.customerId };
  }
  return { list, nextCursor: nextCursor("clue", list.length === size ? last : undefined) };
}

function getClue(dataset: Dataset, body: Record<string, unknown>): UpstreamClueDetail {
  const customerId = customerIdOf(body.customerId);
  return { ...existingClue(dataset, customerId), convertCustomerTime: dataset.convertCustomerTime(customerId) };
}

/** Newest first (INFERRED), ordered by (createTime, id) descending; the cursor marks the last item returned. */
function listFollowUps(dataset: Dataset, body: Record<string, unknown>, nowMs: number): Page<UpstreamFollowUp> {
  const customerId = customerIdOf(body.customerId);
  existingClue(dataset, customerId);
  const size = pageSize(body.size);
  const type = typeFilter(body.type);
  const after = optionalCursor("followUp", body.cursor);
  // Wall-time strings of one fixed format sort like the instants they name, so no per-item parsing.
  const afterTime = after === undefined ? undefined : formatChinaWallTime(after.sec * 1000);

  const remaining = dataset.followUpsOf(customerId, nowMs).filter(
    (item) =>
      (type === undefined || item.type === type) &&
      (after === undefined ||
        item.createTime < (afterTime ?? "") ||
        (item.createTime === afterTime && Number(item.id) < after.id)),
  );
  const list = remaining.slice(0, size);
  const last = list.at(-1);
  const position =
    list.length === size && last !== undefined
      ? { sec: parseChinaWallTime(last.createTime) / 1000, id: Number(last.id) }
      : undefined;
  return { list, nextCursor: nextCursor("followUp", position) };
}

export const HANDLERS: Readonly<Record<string, Handler>> = {
  [TANMA_PATHS.clueList]: listClues,
  [TANMA_PATHS.clueGet]: getClue,
  [TANMA_PATHS.clueFollowUps]: listFollowUps,
  [TANMA_PATHS.tagTree]: (dataset) => dataset.tagTree,
  [TANMA_PATHS.customerFields]: (dataset) => ({ fields: dataset.customerFields }),
};

const comparePosition = (sec: number, id: number, p: CursorPosition) => (sec === p.sec ? id - p.id : sec - p.sec);

/**
 * A full page gets a cursor even if nothing follows (the next call then returns an empty list and ""), a
 * short page gets "": the vendor's cursor does not look ahead, so clients must handle both ends.
 */
const nextCursor = (kind: CursorKind, last: CursorPosition | undefined) => (last === undefined ? "" : encodeCursor(kind, last));

function wallTimeSec(value: unknown): number {
  if (typeof value !== "string" || !isWallTime(value)) throw new TanmaError(TANMA_ERRORS.badTimeRange);
  return parseChinaWallTime(value) / 1000;
}

/** Clue list: 1 个人 / 2 企业; follow-ups: 1 note / 2 system record. Absent = both. */
function typeFilter(value: unknown): 1 | 2 | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 1 || value === 2) return value;
  throw new TanmaError(TANMA_ERRORS.badType);
}

function pageSize(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_PAGE_SIZE;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new TanmaError(TANMA_ERRORS.badSize);
  return Math.min(value, MAX_PAGE_SIZE);
}

/** A missing, null or empty cursor means the first page. */
function optionalCursor(kind: CursorKind, value: unknown): CursorPosition | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const position = typeof value === "string" ? decodeCursor(kind, value) : undefined;
  if (position === undefined) throw new TanmaError(TANMA_ERRORS.badCursor);
  return position;
}

/** INFERRED: ids are JSON numbers; a string of digits is accepted too, for clients wary of 53-bit precision. */
function customerIdOf(value: unknown): number {
  const id = typeof value === "string" && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) throw new TanmaError(TANMA_ERRORS.badCustomerId);
  return id;
}

function existingClue(dataset: Dataset, customerId: number): UpstreamClue {
  const clue = dataset.find(customerId);
  if (clue === undefined) throw new TanmaError(TANMA_ERRORS.notFound);
  return clue;
}
