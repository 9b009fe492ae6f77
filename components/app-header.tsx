import Link from "next/link";
import type { ReactNode } from "react";
import { UserMenu } from "@/components/user-menu";
import { isAdminPage } from "@/lib/auth/admin";
import { copy } from "@/lib/copy";

/** The header of every page: the brand, the sections (审计日志 and 通知 for admins only), and the user menu. */
export async function AppHeader({ children }: { children?: ReactNode }) {
  const admin = await isAdminPage();
  return (
    <header className="flex h-12 shrink-0 items-center gap-4 border-b border-slate-200 bg-white px-4">
      <Link href="/clues" className="flex items-baseline gap-1.5 text-slate-900">
        <span className="text-[15px] font-semibold tracking-tight">{copy.app.brand}</span>
        <span className="text-xs text-slate-400">{copy.app.brandSub}</span>
      </Link>
      <nav className="flex items-center gap-1 text-[13px]">
        <Link href="/clues" className="rounded px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900">
          {copy.app.navClues}
        </Link>
        {admin ? (
          <>
            <Link href="/audit" data-testid="nav-audit" className="rounded px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900">
              {copy.app.navAudit}
            </Link>
            <Link href="/notifications" data-testid="nav-notifications" className="rounded px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900">
              {copy.app.navNotifications}
            </Link>
          </>
        ) : null}
      </nav>
      {children}
      <UserMenu />
    </header>
  );
}
