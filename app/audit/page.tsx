import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { AuditLog } from "@/app/audit/audit-log";
import { AppHeader } from "@/components/app-header";
import { isAdminPage } from "@/lib/auth/admin";
import { chinaToday } from "@/lib/china-time";
import { copy } from "@/lib/copy";

export const metadata: Metadata = { title: copy.audit.heading };

/** 审计日志: admins only; anyone else gets the 403 page (app/forbidden.tsx) and no data. */
export default async function AuditPage() {
  if (!(await isAdminPage())) forbidden();
  return (
    <div className="flex h-dvh flex-col">
      <AppHeader />
      <main className="flex min-h-0 flex-1 flex-col px-4 pt-3 pb-4">
        <h1 className="pb-2 text-sm font-medium text-slate-800">{copy.audit.heading}</h1>
        <Suspense>
          <AuditLog today={chinaToday()} />
        </Suspense>
      </main>
    </div>
  );
}
