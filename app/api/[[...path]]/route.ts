import { handleApiRoute, json } from "@/lib/api/respond";

/**
 * Any `/api/*` path no other route claims, `/api` itself included (an optional catch-all): JSON 404 (401
 * without a session, like every API route), instead of the HTML not-found page.
 */
const notFound = handleApiRoute("/api/*", async () => json({ error: "没有这个接口 (no such API endpoint)" }, 404));

export { notFound as DELETE, notFound as GET, notFound as PATCH, notFound as POST, notFound as PUT };
