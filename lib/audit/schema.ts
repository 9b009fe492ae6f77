import { z } from "zod";
import { isDay } from "@/lib/china-time";
import { pagingShape, requestText } from "@/lib/clues/schema";

/**
 * The audit API's requests (parsed by its routes) and answers (read by the 审计日志 page, which imports only
 * the types). Days are China days: `since` inclusive, `before` exclusive, as everywhere in the API.
 */

/** What the trail records (lib/audit/store/events.ts), named in the API and the page. */
export const AUDIT_ACTIONS = [
  "phone_reveal",
  "phone_search",
  "export",
  "sign_in",
  "sign_in_failed",
  "forced_sync",
  "audit_export",
  "subscription_create",
  "subscription_update",
  "subscription_delete",
  "subscription_test",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditEventInput = {
  action: AuditAction;
  /** Who: the signed-in user (or `anonymous (sign-in off)`); null for a failed sign-in under a name that cannot be a user. */
  actor: string | null;
  client: string | null;
  /** What it was about, e.g. the lead whose numbers were revealed. */
  target?: string | null;
  detail?: Record<string, unknown>;
};

/** Who did it, as every event names them. */
export type Auditee = Pick<AuditEventInput, "actor" | "client">;

/** Who searches: the audited user and address, and whether the whole-number search limit is per address (sign-in off: one anonymous user). */
export type Searcher = Auditee & { perClient: boolean };

const day = (name: string) => z.string().refine(isDay, { error: `${name} must be a real date as YYYY-MM-DD (China time)` });

const auditFilterShape = {
  actor: requestText("actor").min(1, { error: "actor must not be empty" }).max(200, { error: "actor is too long" }).optional(),
  action: z.enum(AUDIT_ACTIONS, { error: `action must be one of ${AUDIT_ACTIONS.join(", ")}` }).optional(),
  since: day("since").optional(),
  before: day("before").optional(),
};

const rangeOrder = (q: { since?: string | undefined; before?: string | undefined }, ctx: z.RefinementCtx) => {
  if (q.since !== undefined && q.before !== undefined && isDay(q.since) && isDay(q.before) && q.since >= q.before) {
    ctx.addIssue({ code: "custom", message: "since must be earlier than before (before is exclusive)" });
  }
};

/** `GET /api/audit/export` query: the filters. */
export const auditFilterSchema = z.object(auditFilterShape).strict().superRefine(rangeOrder);
export type AuditQueryFilter = z.output<typeof auditFilterSchema>;

/** `GET /api/audit` query: the filters, and a page. */
export const auditListQuerySchema = z
  .object({ ...auditFilterShape, ...pagingShape })
  .strict()
  .superRefine(rangeOrder);
export type AuditListQuery = z.output<typeof auditListQuerySchema>;

/** One event as the API answers it. */
export type AuditEventItem = {
  id: number;
  /** China wall time, `YYYY-MM-DD HH:mm:ss`. */
  at: string;
  action: AuditAction;
  actor: string | null;
  client: string | null;
  target: string | null;
  detail: Record<string, unknown>;
};

export type AuditListResponse = { events: AuditEventItem[]; nextCursor: string | null };
export type AuditActorsResponse = { actors: string[] };
