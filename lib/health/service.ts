import "server-only";
import { sql } from "drizzle-orm";
import { openStore } from "@/lib/db/connection";
import { isDraining } from "@/lib/server/drain";

export type Health = { status: "ok"; store: "pglite" | "postgres" } | { status: "unavailable"; error: string };

/**
 * Whether this instance reaches its store: one trivial statement, and the store's engine, nothing more. An
 * instance shutting down says it is unavailable, so a balancer sends its requests elsewhere.
 */
export async function storeHealth(): Promise<Health> {
  if (isDraining()) return { status: "unavailable", error: "the instance is shutting down" };
  try {
    const { db, engine } = await openStore();
    await db.execute(sql`SELECT 1`);
    return { status: "ok", store: engine };
  } catch {
    return { status: "unavailable", error: "the lead store cannot be reached" };
  }
}
