import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { AuditActorsResponse, AuditListResponse } from "@/lib/audit/schema";
import type { AuditView } from "@/lib/audit/search-params";
import { getJson } from "@/lib/clues/api-client";

/** The audit API as TanStack Query sees it: keys and fetches of the 审计日志 page. */

/** A view's filters as the API's query parameters, in a fixed order: the one translation for list and export. */
export function auditFilterParams(view: AuditView): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["actor", "action", "since", "before"] as const) {
    const value = view[key];
    if (value !== undefined) params.set(key, value);
  }
  return params;
}

export const auditKeys = {
  all: ["audit"] as const,
  list: (view: AuditView) => [...auditKeys.all, "list", auditFilterParams(view).toString()] as const,
  actors: () => [...auditKeys.all, "actors"] as const,
};

export function auditExportUrl(view: AuditView): string {
  return `/api/audit/export?${auditFilterParams(view).toString()}`;
}

export const auditListQueryOptions = (view: AuditView) =>
  infiniteQueryOptions({
    queryKey: auditKeys.list(view),
    queryFn: ({ pageParam, signal }) => {
      const params = auditFilterParams(view);
      if (pageParam !== null) params.set("cursor", pageParam);
      return getJson<AuditListResponse>(`/api/audit?${params.toString()}`, signal);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // The trail grows with every reveal: a revisit shows what happened since.
    staleTime: 0,
  });

export const auditActorsQueryOptions = () =>
  queryOptions({ queryKey: auditKeys.actors(), queryFn: ({ signal }) => getJson<AuditActorsResponse>("/api/audit/actors", signal), staleTime: 0 });
