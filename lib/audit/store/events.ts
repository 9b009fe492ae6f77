import "server-only";
import { and, count, desc, eq, gte, lt, or, type SQL, sql } from "drizzle-orm";
import { type Day, parseChinaWallTime } from "@/lib/china-time";
import { storeDb, type StoreDb } from "@/lib/db/connection";
import type { AuditAction, AuditEventInput } from "@/lib/audit/schema";
import { auditEvents } from "@/lib/audit/store/tables";
import { metrics } from "@/lib/observability/metrics";

/**
 * The audit trail, in the store so every instance writes to and reads from one place. Append-only: this module
 * inserts, lists and (for retention) drops rows past their age; nothing updates a row, and the table's trigger
 * refuses updates and deletes of the last day (migration 0005); its vocabulary (actions, who) is lib/audit/schema.ts's. Every event is also written as a JSON log line
 * (`audit_<action>`), for operators who ship logs elsewhere.
 */

export type AuditEvent = Required<AuditEventInput> & { id: number; at: Date };

/** A position in the newest-first order: the last row's time and id (ids break ties between equal times). */
export type AuditPosition = { at: string; id: number };

// Microsecond times as text, compared in the database: a JS Date would drop the microseconds and skip rows.
const atText = sql<string>`to_char(${auditEvents.at} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Records an event: the row first, then the log line. Callers that must not act unrecorded (a phone reveal)
 * await it before acting; a failure to record is thrown to them. Returns the event's position, so an audit
 * export can list what was there before it.
 */
export async function recordAudit(event: AuditEventInput, db?: StoreDb): Promise<AuditPosition> {
  const row = { action: event.action, actor: event.actor, client: event.client, target: event.target ?? null, detail: event.detail ?? {} };
  const [inserted] = await (db ?? (await storeDb()))
    .insert(auditEvents)
    .values(row)
    .returning({ at: auditEvents.at, atText, id: auditEvents.id });
  metrics().auditedActions.inc({ action: event.action });
  // A failed sign-in is a warning where operators look for attacks; everything else is information.
  const log = event.action === "sign_in_failed" ? console.warn : console.info;
  log(JSON.stringify({ event: `audit_${event.action}`, user: row.actor, client: row.client, target: row.target, ...row.detail, time: inserted!.at.toISOString() }));
  return { at: inserted!.atText, id: inserted!.id };
}

export type AuditFilter = {
  actor?: string;
  action?: AuditAction;
  /** China days, inclusive `since`, exclusive `before`. */
  since?: Day;
  before?: Day;
};

function filterCondition({ actor, action, since, before }: AuditFilter): SQL | undefined {
  return and(
    actor === undefined ? undefined : eq(auditEvents.actor, actor),
    action === undefined ? undefined : eq(auditEvents.action, action),
    since === undefined ? undefined : gte(auditEvents.at, new Date(parseChinaWallTime(since))),
    before === undefined ? undefined : lt(auditEvents.at, new Date(parseChinaWallTime(before))),
  );
}

/** A page of events, newest first, after `after`; `next` is where the following page starts (none at the end). */
export async function listAudit(
  filter: AuditFilter,
  { after, limit }: { after?: AuditPosition; limit: number },
): Promise<{ events: AuditEvent[]; next: AuditPosition | null }> {
  const db = await storeDb();
  const position =
    after === undefined
      ? undefined
      : or(lt(auditEvents.at, sql`${after.at}::timestamptz`), and(eq(auditEvents.at, sql`${after.at}::timestamptz`), lt(auditEvents.id, after.id)));
  const found = await db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      atText,
      action: auditEvents.action,
      actor: auditEvents.actor,
      client: auditEvents.client,
      target: auditEvents.target,
      detail: auditEvents.detail,
    })
    .from(auditEvents)
    .where(and(filterCondition(filter), position))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit + 1);
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page.map(({ atText: _, ...event }) => ({ ...event, action: event.action as AuditAction })),
    next: found.length > limit && last ? { at: last.atText, id: last.id } : null,
  };
}

/** How many events match, for an audit export's record of its size. */
export async function countAudit(filter: AuditFilter): Promise<number> {
  const db = await storeDb();
  const [found] = await db.select({ count: count() }).from(auditEvents).where(filterCondition(filter));
  return found?.count ?? 0;
}

/** The distinct actors on record, for the page's user filter. */
export async function auditActors(): Promise<string[]> {
  const db = await storeDb();
  const found = await db.selectDistinct({ actor: auditEvents.actor }).from(auditEvents).orderBy(auditEvents.actor).limit(1000);
  return found.flatMap((r) => (r.actor === null ? [] : [r.actor]));
}

/** Retention: drops events older than `days` (the trigger refuses anything younger than a day). */
export async function purgeAudit(db: StoreDb, days: number): Promise<number> {
  const purged = await db
    .delete(auditEvents)
    .where(lt(auditEvents.at, sql`now() - ${`${days} days`}::interval`))
    .returning({ id: auditEvents.id });
  return purged.length;
}
