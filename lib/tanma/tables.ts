import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Tables of Tanma's shared budget (migrations: drizzle.config.ts gathers every `tables.ts` under lib/). */

/**
 * Tanma's request budget, shared by every instance on one PostgreSQL store: the start times of the last
 * `TANMA_MAX_RPS` upstream calls (any instance's), from which the next free start is reserved
 * (lib/tanma/upstream-quota.ts).
 */
export const upstreamQuota = pgTable("upstream_quota", {
  name: text("name").primaryKey(),
  starts: timestamp("starts", { withTimezone: true, mode: "date" }).array().notNull(),
});
