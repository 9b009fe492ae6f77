import { bigint, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Tables of the audit trail (migrations: drizzle.config.ts gathers every `tables.ts` under lib/). */

/**
 * The audit trail: who revealed which lead's numbers, exported what, signed in (or failed to), forced a sync.
 * Append-only: the app has no update path, and a trigger (migration 0005) refuses updates and any delete but
 * retention's of rows older than a day.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    action: text("action").notNull(),
    /** The signed-in user, or with sign-in off `anonymous (sign-in off)`; for a failed sign-in the name tried, when valid. */
    actor: text("actor"),
    client: text("client"),
    /** What the action was about: a lead's customer id for a reveal. */
    target: text("target"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("audit_events_at_idx").on(t.at, t.id), index("audit_events_actor_idx").on(t.actor, t.at)],
);
