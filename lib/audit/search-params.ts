import { parseAsString } from "nuqs/server";
import type { AuditAction } from "@/lib/audit/schema";
import { isDay } from "@/lib/china-time";
import { copy } from "@/lib/copy";

/**
 * The 审计日志 page's URL state: `?actor=…&action=…&since=YYYY-MM-DD&before=YYYY-MM-DD`, every one optional.
 * `resolveAuditView` checks it by the API's rules (lib/audit/schema.ts) without shipping zod to the browser,
 * so a pasted link with a bad value shows why instead of a failed request.
 */
export const auditSearchParams = {
  actor: parseAsString,
  action: parseAsString,
  since: parseAsString,
  before: parseAsString,
};

export const auditSearchParamsOptions = { history: "replace", scroll: false } as const;

export type RawAuditSearchParams = { actor: string | null; action: string | null; since: string | null; before: string | null };

export const EMPTY_AUDIT_VIEW: RawAuditSearchParams = { actor: null, action: null, since: null, before: null };

/** A validated view: the API's filters, each absent when not set. */
export type AuditView = { actor?: string; action?: AuditAction; since?: string; before?: string };

const isAction = (value: string): value is AuditAction => Object.hasOwn(copy.audit.actions, value);

export function resolveAuditView(raw: RawAuditSearchParams): AuditView | null {
  const { actor, action, since, before } = raw;
  if (actor === "" || (action !== null && !isAction(action))) return null;
  // The picker sets both days or neither.
  if ((since === null) !== (before === null)) return null;
  if (since !== null && before !== null && (!isDay(since) || !isDay(before) || since >= before)) return null;
  return {
    ...(actor === null ? {} : { actor }),
    ...(action === null ? {} : { action: action as AuditAction }),
    ...(since === null || before === null ? {} : { since, before }),
  };
}
