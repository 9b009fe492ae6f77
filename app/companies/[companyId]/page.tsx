import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { CompanyView } from "@/app/companies/[companyId]/company-view";
import { AppHeader } from "@/components/app-header";
import { chinaToday } from "@/lib/china-time";
import { companyIdSchema } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";
import { serverEnv } from "@/lib/env";

type Props = {
  params: Promise<{ companyId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { companyId } = await params;
  const name = first((await searchParams).name);
  return { title: copy.company.title(name ?? copy.company.unknownName(companyId)) };
}

/** `/companies/{id}`: the company's leads in the URL's date range (there is no company endpoint upstream). */
export default async function CompanyPage({ params, searchParams }: Props) {
  const { companyId } = await params;
  if (!companyIdSchema.safeParse(companyId).success) notFound();
  const nameHint = first((await searchParams).name)?.slice(0, 200) ?? null;
  // Server-only configuration handed to the client as a plain string.
  const template = serverEnv().COMPANY_URL_TEMPLATE;
  const externalUrl = template === undefined ? null : template.replaceAll("{id}", encodeURIComponent(companyId));
  return (
    <div className="flex h-dvh flex-col">
      <AppHeader />
      <main className="flex min-h-0 flex-1 flex-col px-4 pt-3 pb-4">
        <Suspense>
          <CompanyView companyId={companyId} nameHint={nameHint} externalUrl={externalUrl} today={chinaToday()} />
        </Suspense>
      </main>
    </div>
  );
}
