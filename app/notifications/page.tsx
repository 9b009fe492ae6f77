import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Subscriptions } from "@/app/notifications/subscriptions";
import { AppHeader } from "@/components/app-header";
import { isAdminPage } from "@/lib/auth/admin";
import { chinaToday } from "@/lib/china-time";
import { copy } from "@/lib/copy";

export const metadata: Metadata = { title: copy.notifications.heading };

/** 通知: the group-robot subscriptions, admins only; anyone else gets the 403 page (app/forbidden.tsx) and no data. */
export default async function NotificationsPage() {
  if (!(await isAdminPage())) forbidden();
  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader />
      <main className="mx-auto flex w-full max-w-5xl flex-col gap-4 px-4 pt-3 pb-8">
        <div>
          <h1 className="text-sm font-medium text-slate-800">{copy.notifications.heading}</h1>
          <p className="pt-1 text-xs text-slate-500">{copy.notifications.intro}</p>
        </div>
        <Subscriptions today={chinaToday()} />
      </main>
    </div>
  );
}
