import { copy } from "@/lib/copy";

/** The message for an Auth.js sign-in error code, or for the sign-in route's own `SignInThrottled`. */
export function signInErrorMessage(code: string | null | undefined): string {
  if (code === "CredentialsSignin") return copy.auth.badCredentials;
  if (code === "SignInThrottled") return copy.auth.tooManyAttempts;
  return copy.auth.genericError;
}
