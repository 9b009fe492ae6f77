import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";

/**
 * Auth.js endpoints (sign-in, callbacks, session, CSRF, sign-out). Outside `handleApiRoute`: they are how a
 * user gets a session. When sign-in is off (simulator without CLUE_DESK_AUTH=on) they do not exist.
 */

type Context = { params: Promise<{ nextauth: string[] }> };

async function handle(request: NextRequest, context: Context): Promise<Response> {
  const options = authOptions();
  if (options === undefined) return Response.json({ error: "sign-in is off" }, { status: 404 });
  const response: Response = await NextAuth(request, context, options);
  // A wrong password answers a JSON sign-in with 401, which browsers log as a console error; the login page
  // reads the error from the returned URL instead, so answer 200 like every other JSON sign-in outcome.
  if (response.status === 401 && response.headers.get("content-type")?.includes("application/json")) {
    return new Response(response.body, { status: 200, headers: response.headers });
  }
  return response;
}

export { handle as GET, handle as POST };
