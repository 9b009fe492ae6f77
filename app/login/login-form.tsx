"use client";

import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { signInErrorMessage } from "@/app/login/sign-in-error";
import { copy } from "@/lib/copy";

type Props = { callbackUrl: string; passwords: boolean; oidcName: string | undefined; initialError: string | undefined };

export function LoginForm({ callbackUrl, passwords, oidcName, initialError }: Props) {
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    try {
      const result = await signIn("credentials", {
        redirect: false,
        username: String(form.get("username") ?? ""),
        password: String(form.get("password") ?? ""),
        callbackUrl,
      });
      if (result?.error || !result?.ok) {
        setError(signInErrorMessage(result?.error));
        setPending(false);
        return;
      }
      // A full navigation, so every server component renders with the new session.
      window.location.assign(callbackUrl);
    } catch {
      setError(copy.auth.genericError);
      setPending(false);
    }
  }

  return (
    <div className="flex flex-col gap-4">
      {error && (
        <p role="alert" className="rounded border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-700">
          {error}
        </p>
      )}
      {passwords && (
        <form onSubmit={submit} className="flex flex-col gap-3" aria-label={copy.auth.loginTitle}>
          <label className="flex flex-col gap-1 text-[13px] text-slate-600">
            {copy.auth.username}
            <input
              name="username"
              autoComplete="username"
              required
              autoFocus
              className="rounded border border-slate-300 px-2.5 py-1.5 text-sm text-slate-900 outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-100"
            />
          </label>
          <label className="flex flex-col gap-1 text-[13px] text-slate-600">
            {copy.auth.password}
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              required
              className="rounded border border-slate-300 px-2.5 py-1.5 text-sm text-slate-900 outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-100"
            />
          </label>
          <button
            type="submit"
            disabled={pending}
            className="mt-1 rounded bg-slate-900 px-3 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-60"
          >
            {pending ? copy.auth.submitting : copy.auth.submit}
          </button>
        </form>
      )}
      {passwords && oidcName && (
        <div className="flex items-center gap-2 text-xs text-slate-400">
          <span className="h-px flex-1 bg-slate-200" />
          {copy.auth.or}
          <span className="h-px flex-1 bg-slate-200" />
        </div>
      )}
      {oidcName && (
        <button
          type="button"
          disabled={pending}
          onClick={() => {
            setPending(true);
            void signIn("oidc", { callbackUrl });
          }}
          className="rounded border border-slate-300 px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-60"
        >
          {copy.auth.oidc(oidcName)}
        </button>
      )}
    </div>
  );
}
