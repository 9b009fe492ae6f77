import type { Metadata } from "next";
import { LoginForm } from "@/app/login/login-form";
import { signInErrorMessage } from "@/app/login/sign-in-error";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { authConfig } from "@/lib/auth/config";
import { copy } from "@/lib/copy";

export const metadata: Metadata = { title: copy.auth.loginTitle };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const config = authConfig();
  const error = typeof params.error === "string" ? params.error : undefined;
  return (
    <main className="flex h-dvh items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <div className="mb-1 flex items-baseline gap-1.5">
          <span className="text-[15px] font-semibold tracking-tight">{copy.app.brand}</span>
          <span className="text-xs text-slate-400">{copy.app.brandSub}</span>
        </div>
        <h1 className="text-lg font-semibold">{copy.auth.loginTitle}</h1>
        <p className="mt-1 mb-5 text-[13px] text-slate-500">{copy.auth.loginHint}</p>
        <LoginForm
          callbackUrl={safeCallbackPath(params.callbackUrl, config.appUrl)}
          passwords={config.required && config.users.size > 0}
          oidcName={config.required ? config.oidc?.name : undefined}
          initialError={error === undefined ? undefined : signInErrorMessage(error)}
        />
      </div>
    </main>
  );
}
