import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Tables of the API's and sign-in's limits (migrations: drizzle.config.ts gathers every `tables.ts` under lib/). */

/**
 * The API's per-caller rate limit, shared by every instance (lib/auth/rate-limit.ts): a generic cell rate
 * algorithm keeps one time per caller, the theoretical arrival time of its next request.
 */
export const apiRateLimits = pgTable("api_rate_limits", {
  key: text("key").primaryKey(),
  tat: timestamp("tat", { withTimezone: true, mode: "date" }).notNull(),
});

/** Failed password sign-ins per user name and per client address, shared by every instance (lib/auth/sign-in-throttle.ts). */
export const signInFailures = pgTable("sign_in_failures", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }).notNull(),
  lastFailure: timestamp("last_failure", { withTimezone: true, mode: "date" }).notNull(),
});
