import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Providers } from "@/app/providers";
import { copy } from "@/lib/copy";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: copy.app.title, template: `%s · ${copy.app.title}` },
  description: copy.app.description,
};

export const viewport: Viewport = { themeColor: "#f8fafc" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, so Next.js can stamp the CSP nonce from proxy.ts on its scripts.
  await connection();
  return (
    <html lang="zh-CN">
      <body className="h-dvh overflow-hidden bg-slate-50 text-slate-900 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
