"use client";

import { useSearchParams } from "next/navigation";
import { useQueryStates } from "nuqs";
import { useState } from "react";
import {
  clueSearchParams,
  clueSearchParamsOptions,
  loadClueSearchParams,
  type RawClueSearchParams,
} from "@/lib/clues/search-params";

/**
 * The list's URL state as the page shows it, and a writer that shows a change at once. The state is read with
 * `useSearchParams`, which changes in the same render as `usePathname` (nuqs's own state can lag a render
 * behind on back navigation, which would flash the default view); nuqs writes it. The router reports the new
 * URL a few hundred milliseconds after nuqs writes it, so the requested state is rendered meanwhile, tied to
 * the URL it was requested from and dropped as soon as the URL changes.
 */
export function useUrlView(): {
  current: RawClueSearchParams;
  write: (patch: Partial<RawClueSearchParams>) => Promise<URLSearchParams>;
} {
  const searchParams = useSearchParams();
  const [, writeUrlState] = useQueryStates(clueSearchParams, clueSearchParamsOptions);
  const urlState: RawClueSearchParams = loadClueSearchParams(searchParams);
  const [requested, setRequested] = useState<{ from: typeof searchParams; view: RawClueSearchParams } | null>(null);
  const current = requested !== null && requested.from === searchParams ? requested.view : urlState;
  const write = (patch: Partial<RawClueSearchParams>) => {
    setRequested({ from: searchParams, view: { ...current, ...patch } });
    return writeUrlState(patch);
  };
  return { current, write };
}

export function sameRawView(a: RawClueSearchParams, b: RawClueSearchParams): boolean {
  return (
    a.since === b.since &&
    a.before === b.before &&
    a.type === b.type &&
    a.order === b.order &&
    a.q === b.q &&
    a.status === b.status &&
    a.tag.join("\n") === b.tag.join("\n") &&
    a.field.join("\n") === b.field.join("\n")
  );
}
