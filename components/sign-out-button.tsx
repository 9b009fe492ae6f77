"use client";

import { useState } from "react";
import { copy } from "@/lib/copy";

/** Auth.js's client is loaded on click, so it never weighs on a page's first load. */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void import("next-auth/react").then(({ signOut }) => signOut({ callbackUrl: "/login" }));
      }}
      className="rounded px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900 disabled:opacity-60"
    >
      {pending ? copy.auth.signingOut : copy.auth.signOut}
    </button>
  );
}
