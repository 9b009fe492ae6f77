import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { purgeAudit, recordAudit } from "@/lib/audit/store/events";
import { storeDb } from "@/lib/db/connection";
import { auditEvents } from "@/lib/audit/store/tables";

/**
 * The audit trail is append-only in the database itself (migration 0005's trigger, and 0006's against
 * TRUNCATE), on the engine the run names (PGlite, or PostgreSQL with TEST_POSTGRES_URL): no row is ever
 * updated, a fresh one is never deleted, the table is never truncated, and retention drops only rows past its age.
 */

const who = { actor: "auditor", client: "10.0.0.1" };

/** The database's own message for a refused statement (Drizzle wraps it as the cause of its "Failed query"). */
async function refusal(statement: PromiseLike<unknown>): Promise<string> {
  try {
    await statement;
  } catch (error) {
    return String((error as { cause?: Error }).cause?.message ?? (error as Error).message);
  }
  return "not refused";
}

async function ids(): Promise<number[]> {
  const db = await storeDb();
  return (await db.select({ id: auditEvents.id }).from(auditEvents).orderBy(auditEvents.id)).map((r) => r.id);
}

describe("audit_events", () => {
  it("refuses UPDATE and DELETE of a fresh row", async () => {
    const db = await storeDb();
    const { id } = await recordAudit({ action: "forced_sync", ...who, detail: { days: 1 } });
    expect(await refusal(db.update(auditEvents).set({ actor: "someone else" }).where(eq(auditEvents.id, id)))).toMatch(/append-only \(UPDATE refused\)/);
    expect(await refusal(db.delete(auditEvents).where(eq(auditEvents.id, id)))).toMatch(/append-only \(DELETE refused\)/);
    const [row] = await db.select().from(auditEvents).where(eq(auditEvents.id, id));
    expect(row).toMatchObject({ actor: "auditor", action: "forced_sync", detail: { days: 1 } });
  });

  it("refuses TRUNCATE, which fires no row trigger", async () => {
    const db = await storeDb();
    await recordAudit({ action: "export", ...who, detail: { rows: 1 } });
    const before = await ids();
    expect(await refusal(db.execute(sql`TRUNCATE audit_events`))).toMatch(/append-only \(TRUNCATE refused\)/);
    expect(await refusal(db.execute(sql`TRUNCATE TABLE ONLY audit_events RESTART IDENTITY CASCADE`))).toMatch(/append-only \(TRUNCATE refused\)/);
    expect(await ids()).toEqual(before);
  });

  it("purges rows older than the retention and keeps the rest; old rows still cannot be updated", async () => {
    const db = await storeDb();
    const [old] = await db
      .insert(auditEvents)
      .values([
        { at: sql`now() - interval '200 days'`, action: "export", ...who },
        { at: sql`now() - interval '181 days'`, action: "sign_in", ...who },
        { at: sql`now() - interval '179 days'`, action: "sign_in", ...who },
      ])
      .returning({ id: auditEvents.id });
    expect(await refusal(db.update(auditEvents).set({ actor: "x" }).where(eq(auditEvents.id, old!.id)))).toMatch(/append-only \(UPDATE refused\)/);
    const before = await ids();
    expect(await purgeAudit(db, 180)).toBe(2);
    const after = await ids();
    expect(after).toEqual(before.filter((id) => id !== old!.id && id !== old!.id + 1));
    expect(await purgeAudit(db, 180)).toBe(0);
  });
});
