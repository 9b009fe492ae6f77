import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";

/**
 * `children` is the list (or the full detail page on a direct visit); `sheet` is the intercepted detail that
 * slides over the list on client navigation. The list stays mounted underneath, keeping rows and scroll.
 */
export default function CluesLayout({ children, sheet }: { children: ReactNode; sheet: ReactNode }) {
  return (
    <div className="flex h-dvh flex-col">
      <AppHeader />
      {children}
      {sheet}
    </div>
  );
}
