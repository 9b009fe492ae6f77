import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, or, sql } from "drizzle-orm";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/errors";
import { type StoreDb, storeDb } from "@/lib/db/connection";
import { savedViews } from "@/lib/views/store/tables";
import { MAX_VIEWS_PER_CLIENT, MAX_VIEWS_PER_OWNER, type SavedView, VIEW_NOT_FOUND } from "@/lib/views/schema";

/** Saved views in the lead store, always read and written for one owner: another owner's view is not found. */

type Row = typeof savedViews.$inferSelect;

const toView = (row: Row): SavedView => ({
  id: row.id,
  name: row.name,
  query: row.query,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const nameTaken = (name: string) => `已有名为“${name}”的视图，请换一个名字 (name taken)`;

/** PostgreSQL's unique_violation, as either driver reports it (Drizzle wraps the driver's error in `cause`). */
function isUniqueViolation(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && typeof e === "object" && e !== null; depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export async function listViews(owner: string): Promise<SavedView[]> {
  const db = await storeDb();
  const rows = await db.select().from(savedViews).where(eq(savedViews.owner, owner));
  return rows.map(toView).sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
}

/**
 * Saves a view for `owner`. `client`: with sign-in off, the address saving it, whose views (across all the
 * browsers it claims to be) are capped too; undefined for a signed-in user.
 */
export async function createView(owner: string, input: { name: string; query: string }, client?: string): Promise<SavedView> {
  const db = await storeDb();
  const [held] = await db
    .select({
      owner: sql<number>`count(*) filter (where ${savedViews.owner} = ${owner})`.mapWith(Number),
      client: sql<number>`count(*) filter (where ${savedViews.client} = ${client ?? null})`.mapWith(Number),
    })
    .from(savedViews)
    .where(client === undefined ? eq(savedViews.owner, owner) : or(eq(savedViews.owner, owner), eq(savedViews.client, client)));
  if ((held?.owner ?? 0) >= MAX_VIEWS_PER_OWNER) {
    throw new BadRequestError(`最多保存 ${MAX_VIEWS_PER_OWNER} 个视图，请先删除不用的 (at most ${MAX_VIEWS_PER_OWNER} views)`);
  }
  if ((held?.client ?? 0) >= MAX_VIEWS_PER_CLIENT) {
    throw new BadRequestError(
      `这个地址已保存 ${MAX_VIEWS_PER_CLIENT} 个视图，请先删除不用的 (at most ${MAX_VIEWS_PER_CLIENT} views from one client address)`,
    );
  }
  try {
    const now = new Date();
    const [row] = await db
      .insert(savedViews)
      .values({ id: randomUUID(), owner, name: input.name, query: input.query, client: client ?? null, createdAt: now, updatedAt: now })
      .returning();
    return toView(row!);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(nameTaken(input.name));
    throw error;
  }
}

export async function renameView(owner: string, id: string, name: string): Promise<SavedView> {
  const db = await storeDb();
  try {
    const [row] = await db
      .update(savedViews)
      .set({ name, updatedAt: new Date() })
      .where(and(eq(savedViews.id, id), eq(savedViews.owner, owner)))
      .returning();
    if (row === undefined) throw new NotFoundError(VIEW_NOT_FOUND);
    return toView(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(nameTaken(name));
    throw error;
  }
}

export async function deleteView(owner: string, id: string): Promise<void> {
  const db = await storeDb();
  const removed = await db
    .delete(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.owner, owner)))
    .returning({ id: savedViews.id });
  if (removed.length === 0) throw new NotFoundError(VIEW_NOT_FOUND);
}

/** Every owner's views go when the store changes tenant (lib/clues/store/tenant.ts): their filters name the old tenant's dictionary. */
export async function forgetEveryView(db: Pick<StoreDb, "delete">): Promise<void> {
  await db.delete(savedViews);
}
