"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { Button } from "@/components/button";
import { Popover } from "@/components/popover";
import { errorMessage } from "@/lib/clues/api-client";
import type { ClueFacetsResponse, Dictionary } from "@/lib/clues/schema";
import type { ClueView, RawClueSearchParams } from "@/lib/clues/search-params";
import { copy } from "@/lib/copy";

// The panel's code loads when it is first opened, keeping it out of the list's first-load JS.
const FilterPanel = dynamic(() => import("@/components/clues/filter-panel"), {
  ssr: false,
  loading: () => <p className="p-4 text-xs text-slate-500">{copy.desk.filtersLoading}</p>,
});

/** 筛选: a toolbar button showing how many filter values are on, opening the filter panel. */
export function FilterMenu(props: {
  view: ClueView;
  facets: { data: ClueFacetsResponse | undefined; error: unknown };
  dictionary: Dictionary | undefined;
  onChange: (patch: Partial<RawClueSearchParams>) => void;
}) {
  const { view, facets, dictionary, onChange } = props;
  const [open, setOpen] = useState(false);
  const active = (view.status === undefined ? 0 : 1) + view.tags.length + Object.values(view.fields).reduce((n, items) => n + items.length, 0);
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      label={copy.desk.filtersTitle}
      testId="filter-panel"
      trigger={(aria) => (
        <Button size="toolbar" data-testid="filter-button" className="text-[13px]" onClick={() => setOpen(!open)} {...aria}>
          <svg aria-hidden viewBox="0 0 20 20" className="size-4 text-slate-500" fill="none" stroke="currentColor" strokeWidth="1.8">
            <path d="M3 5h14M6 10h8M8.5 15h3" strokeLinecap="round" />
          </svg>
          {copy.desk.filters}
          {active > 0 ? (
            <span data-testid="filter-button-count" className="rounded-full bg-indigo-600 px-1.5 text-[11px] leading-4 font-medium text-white tabular-nums">
              {copy.desk.activeFilterCount(active)}
            </span>
          ) : null}
        </Button>
      )}
    >
      {facets.data !== undefined ? (
        <FilterPanel view={view} facets={facets.data} dictionary={dictionary} onChange={onChange} />
      ) : facets.error ? (
        <p role="alert" className="p-4 text-xs text-rose-700">
          {copy.desk.filtersError}：{errorMessage(facets.error)}
        </p>
      ) : (
        <p className="p-4 text-xs text-slate-500">{copy.desk.filtersLoading}</p>
      )}
    </Popover>
  );
}
