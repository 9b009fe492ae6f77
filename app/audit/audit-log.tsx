"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useQueryStates } from "nuqs";
import { useCallback, useMemo } from "react";
import { AUDIT_COLUMNS } from "@/app/audit/audit-columns";
import { Button } from "@/components/button";
import { ColumnVisibilityMenu } from "@/components/data-table/column-visibility-menu";
import { InfiniteDataTable } from "@/components/data-table/infinite-data-table";
import { usePersistentVisibility } from "@/components/data-table/use-persistent-visibility";
import { DateRangePicker } from "@/components/date-range-picker";
import { auditActorsQueryOptions, auditExportUrl, auditListQueryOptions } from "@/lib/audit/query-options";
import type { AuditEventItem } from "@/lib/audit/schema";
import { type AuditView, auditSearchParams, auditSearchParamsOptions, EMPTY_AUDIT_VIEW, type RawAuditSearchParams, resolveAuditView } from "@/lib/audit/search-params";
import type { Day } from "@/lib/china-time";
import { errorMessage } from "@/lib/clues/api-client";
import { copy } from "@/lib/copy";

const EMPTY: AuditEventItem[] = [];
const ACTIONS = Object.entries(copy.audit.actions);

// Module-level, so the memoized table rows see the same functions on every render.
const rowId = (event: AuditEventItem) => String(event.id);
const rowLabel = (event: AuditEventItem) => copy.audit.rowLabel(event.at, copy.audit.actions[event.action], event.actor ?? copy.audit.unknownActor);
const rowDataAttributes = (event: AuditEventItem) => ({ "data-action": event.action, "data-actor": event.actor ?? "" });

const selectClass = "h-8 rounded-md border border-slate-300 bg-white px-2 text-[13px] text-slate-700 shadow-xs";

/** 审计日志: the filters live in the URL (nuqs); the table pages through `/api/audit` newest first. */
export function AuditLog({ today }: { today: Day }) {
  const [raw, setRaw] = useQueryStates(auditSearchParams, auditSearchParamsOptions);
  const update = (patch: Partial<RawAuditSearchParams>) => void setRaw(patch);
  const view = resolveAuditView(raw);

  if (view === null) {
    return (
      <div role="alert" data-testid="invalid-params" className="mx-auto mt-12 flex max-w-lg flex-col items-center gap-3 rounded-lg border border-amber-200 bg-amber-50 px-6 py-8 text-center">
        <div className="text-sm font-medium text-amber-900">{copy.audit.invalidParamsTitle}</div>
        <div className="text-sm text-amber-800">{copy.audit.invalidParams}</div>
        <Button onClick={() => update(EMPTY_AUDIT_VIEW)}>{copy.audit.resetFilters}</Button>
      </div>
    );
  }
  return <AuditTable view={view} today={today} onChange={update} />;
}

function AuditTable({ view, today, onChange }: { view: AuditView; today: Day; onChange: (patch: Partial<RawAuditSearchParams>) => void }) {
  const router = useRouter();
  const query = useInfiniteQuery(auditListQueryOptions(view));
  const actors = useQuery(auditActorsQueryOptions());
  const [visibility, setVisibility] = usePersistentVisibility("clue-desk:audit-columns:v1");

  // Stable row array: recomputed only when pages change.
  const pages = query.data?.pages;
  const rows = useMemo(() => (pages === undefined ? EMPTY : pages.flatMap((p) => p.events)), [pages]);
  // A reveal's row opens its lead; other events have nowhere to go.
  const openRow = useCallback(
    (event: AuditEventItem) => {
      if (event.action === "phone_reveal" && event.target !== null) router.push(`/clues/${encodeURIComponent(event.target)}`);
    },
    [router],
  );
  // The selected user stays a choice even before the actors list (or when it no longer names them).
  const actorChoices = [...new Set([...(actors.data?.actors ?? []), ...(view.actor === undefined ? [] : [view.actor])])];
  const range = view.since !== undefined && view.before !== undefined ? { since: view.since, before: view.before } : undefined;

  return (
    <InfiniteDataTable
      data={rows}
      columns={AUDIT_COLUMNS}
      getRowId={rowId}
      query={query}
      errorMessage={errorMessage}
      onOpenRow={openRow}
      rowLabel={rowLabel}
      rowTestId="audit-row"
      rowDataAttributes={rowDataAttributes}
      columnVisibility={visibility}
      onColumnVisibilityChange={setVisibility}
      emptyState={
        <div className="flex flex-col items-center gap-1 text-center">
          <div className="text-sm font-medium text-slate-700">{copy.audit.emptyTitle}</div>
          <div className="text-xs text-slate-500">{copy.audit.emptyHint}</div>
        </div>
      }
      label={copy.audit.heading}
      testId="audit-table"
      toolbar={(table) => (
        <div className="flex flex-wrap items-center gap-2 pb-2">
          <DateRangePicker value={range} today={today} unsetLabel={copy.audit.allDays} onChange={(r) => onChange({ since: r.since, before: r.before })} />
          {range === undefined ? null : (
            <Button size="toolbar" className="text-[13px]" data-testid="audit-clear-days" onClick={() => onChange({ since: null, before: null })}>
              {copy.audit.clearDays}
            </Button>
          )}
          <label className="flex items-center gap-1.5 text-[13px] text-slate-600">
            {copy.audit.actorFilter}
            <select className={selectClass} data-testid="audit-actor-filter" value={view.actor ?? ""} onChange={(e) => onChange({ actor: e.target.value || null })}>
              <option value="">{copy.audit.allActors}</option>
              {actorChoices.map((actor) => (
                <option key={actor} value={actor}>
                  {actor}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-1.5 text-[13px] text-slate-600">
            {copy.audit.actionFilter}
            <select className={selectClass} data-testid="audit-action-filter" value={view.action ?? ""} onChange={(e) => onChange({ action: e.target.value || null })}>
              <option value="">{copy.audit.allActions}</option>
              {ACTIONS.map(([action, label]) => (
                <option key={action} value={action}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <div className="ml-auto flex items-center gap-2">
            <span className="text-xs text-slate-500 tabular-nums" data-testid="row-count">
              {copy.list.loadedCount(rows.length)}
            </span>
            <a
              href={auditExportUrl(view)}
              download
              data-testid="audit-export"
              className="inline-flex h-8 items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 text-[13px] text-slate-700 shadow-xs hover:bg-slate-50"
            >
              {copy.audit.exportCsv}
            </a>
            <ColumnVisibilityMenu table={table} />
          </div>
        </div>
      )}
    />
  );
}
