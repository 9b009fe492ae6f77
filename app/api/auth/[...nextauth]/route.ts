import { handleAuthRoute } from "@/lib/auth/auth-route";

/** Auth.js endpoints; lib/auth/auth-route.ts reads and checks each request before Auth.js sees it. */
export { handleAuthRoute as GET, handleAuthRoute as POST };
