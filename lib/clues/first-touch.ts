import { isWallTime } from "@/lib/china-time";
import type { UpstreamFollowUp } from "@/lib/tanma/schemas";

/** A lead's first touch: when its earliest follow-up by a person was written (China wall time), and by whom. */
export type FirstTouch = { at: string; by: string };

/**
 * The earliest follow-up written by a person (an operator with a non-empty `qwUserId`) among `items`, in any
 * order: entries of the system or the API carry an empty `qwUserId` and never count. Ties on the second go
 * to the smaller id, as Tanma orders them. An entry whose time is not a wall time is left out.
 */
export function earliestPersonFollowUp(items: readonly UpstreamFollowUp[], known?: FirstTouch & { id?: string }): (FirstTouch & { id: string }) | undefined {
  let first: (FirstTouch & { id: string }) | undefined = known === undefined ? undefined : { ...known, id: known.id ?? "" };
  for (const item of items) {
    const operator = item.operator;
    if (!operator || operator.qwUserId.trim() === "" || !isWallTime(item.createTime)) continue;
    const id = String(item.id);
    if (first === undefined || item.createTime < first.at || (item.createTime === first.at && compareIds(id, first.id) < 0)) {
      first = { at: item.createTime, by: operator.name, id };
    }
  }
  return first;
}

/** Numeric ids compare as numbers of any length; an empty id (unknown) sorts last. */
function compareIds(a: string, b: string): number {
  if (b === "") return -1;
  if (a === "") return 1;
  return a.length === b.length ? (a < b ? -1 : a > b ? 1 : 0) : a.length - b.length;
}

/**
 * When the touch reader checks a lead created at `createdMs`, found untouched at `checkedMs`, next: after
 * `max(pollMs, age / 4)`, so a touch at age `t` is known within `max(pollMs, t / 4)` of it.
 */
export function nextTouchCheck(createdMs: number, checkedMs: number, pollMs: number): number {
  return checkedMs + Math.max(pollMs, (checkedMs - createdMs) / 4);
}
