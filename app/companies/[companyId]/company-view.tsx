"use client";

import { type InfiniteData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ClueTable } from "@/components/clues/clue-table";
import { clueListQueryOptions, type ClueListFilter } from "@/lib/clues/query-options";
import { resolveView } from "@/lib/clues/search-params";
import { useUrlView } from "@/lib/clues/use-url-view";
import { DateRangePicker } from "@/components/date-range-picker";
import type { Day } from "@/lib/china-time";
import type { ClueListResponse } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";

/** The company's name: the first loaded clue's `company.name`, else the link's hint, else its id. */
function useCompanyName(filter: ClueListFilter, nameHint: string | null): string {
  // A second observer of the very query the table runs: same key, so no extra request.
  const { data } = useInfiniteQuery({
    ...clueListQueryOptions(filter),
    select: (d: InfiniteData<ClueListResponse, string | null>) =>
      d.pages.flatMap((p) => p.items).find((c) => c.company !== null)?.company?.name ?? null,
  });
  return data ?? nameHint ?? copy.company.unknownName(filter.companyId ?? "");
}

export function CompanyView(props: { companyId: string; nameHint: string | null; externalUrl: string | null; today: Day }) {
  const { companyId, nameHint, externalUrl, today } = props;
  const { current, write: setUrlState } = useUrlView();
  // A company's leads are all 企业 leads: the type is not the page's to choose.
  const result = resolveView({ ...current, type: null }, today);
  const view = result.ok ? result.view : result.fallback;
  const filter: ClueListFilter = { ...view, type: 2, companyId };
  const name = useCompanyName(filter, nameHint);

  return (
    <>
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1 pb-3">
        <h1 className="text-lg font-semibold text-slate-900" data-testid="company-name">
          {name}
        </h1>
        <span className="font-mono text-xs text-slate-500">
          {copy.company.idLabel} {companyId}
        </span>
        {externalUrl ? (
          <a
            href={externalUrl}
            target="_blank"
            rel="noreferrer noopener"
            data-testid="company-external-link"
            className="text-[13px] text-indigo-700 hover:underline"
          >
            {copy.company.openExternal} ↗
          </a>
        ) : null}
        <Link href="/clues" className="ml-auto text-[13px] text-slate-600 hover:text-slate-900 hover:underline">
          {copy.company.backToList}
        </Link>
      </div>
      {!result.ok ? (
        <div role="alert" data-testid="invalid-params" className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-900">
          {copy.list.invalidParamsTitle}：{result.reason}（{copy.list.invalidParamsHint}）
        </div>
      ) : null}
      <ClueTable
        filter={filter}
        onViewChange={(patch) => void setUrlState(patch)}
        storageKey="clue-desk:company-columns:v1"
        showCompany={false}
        typeFixed
        controls={
          <DateRangePicker
            value={{ since: view.since, before: view.before }}
            today={today}
            onChange={(r) => void setUrlState({ since: r.since, before: r.before })}
          />
        }
        empty={{ title: copy.company.emptyTitle, hint: copy.company.emptyHint }}
      />
    </>
  );
}
