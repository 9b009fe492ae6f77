"use client";

import { CLEAR_FILTERS, filterChips } from "@/lib/clues/filter-chips";
import type { Dictionary } from "@/lib/clues/schema";
import type { ClueView, RawClueSearchParams } from "@/lib/clues/search-params";
import { copy } from "@/lib/copy";

/** The active filters as removable chips, and 清除筛选 (loaded once a filter is on). */
export default function ActiveFilters(props: {
  view: ClueView;
  dictionary: Dictionary | undefined;
  typeFixed: boolean;
  onChange: (patch: Partial<RawClueSearchParams>) => void;
}) {
  const { view, dictionary, typeFixed, onChange } = props;
  const chips = filterChips(view, dictionary, { typeFixed });
  return (
    <>
      {chips.map((chip) => (
        <span key={chip.id} data-testid="filter-chip" data-chip={chip.id} className="inline-flex h-6 items-center gap-1 rounded-full border border-indigo-200 bg-indigo-50 pr-1 pl-2.5 text-xs text-indigo-900">
          <span className="max-w-56 truncate">{chip.label}</span>
          <button
            type="button"
            aria-label={copy.desk.removeFilter(chip.label)}
            data-testid="filter-chip-remove"
            onClick={() => onChange(chip.remove)}
            className="flex size-4 items-center justify-center rounded-full text-indigo-500 hover:bg-indigo-200 hover:text-indigo-900"
          >
            ×
          </button>
        </span>
      ))}
      {chips.length > 0 ? (
        <button type="button" data-testid="clear-filters" onClick={() => onChange(CLEAR_FILTERS)} className="px-1 text-xs text-slate-500 hover:text-slate-900 hover:underline">
          {copy.desk.clearFilters}
        </button>
      ) : null}
    </>
  );
}
