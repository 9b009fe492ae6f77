import "server-only";

/**
 * Who is asking, for audit lines. Without sign-in (the default against the built-in simulator) there is
 * no user to name, and the audit line says so rather than inventing one.
 */
export async function requestUser(_request: Request): Promise<string> {
  return "anonymous (sign-in off)";
}
