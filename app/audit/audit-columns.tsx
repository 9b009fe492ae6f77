import "@/components/data-table/column-meta";
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import type { AuditEventItem } from "@/lib/audit/schema";
import { copy } from "@/lib/copy";

/** One readable piece of an event's detail: a label and its value, e.g. 行数 1,204. */
type DetailPart = { key: string; text: string };

/** Filters as `key=value` (the API's own parameter names: an admin reads them as the request was made). */
function filtersText(filters: unknown): string {
  if (typeof filters !== "object" || filters === null) return JSON.stringify(filters);
  return Object.entries(filters)
    .filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0) && !(typeof value === "object" && value !== null && Object.keys(value).length === 0))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
}

/** The detail as the page shows it: the keys the recorders write, labelled; anything else as `key: JSON`. */
export function detailParts(detail: Record<string, unknown>): DetailPart[] {
  const text = copy.audit.detail;
  return Object.entries(detail).map(([key, value]): DetailPart => {
    if (key === "rows" && typeof value === "number") return { key, text: text.rows(value) };
    if (key === "format" && typeof value === "string") return { key, text: text.format(value) };
    if (key === "filters") return { key, text: `${text.filters} ${filtersText(value) || text.noFilters}` };
    if (key === "days" && typeof value === "number") return { key, text: text.days(value) };
    if (key === "since" && typeof value === "string") return { key, text: text.since(value) };
    if (key === "before" && typeof value === "string") return { key, text: text.before(value) };
    if (key === "provider" && typeof value === "string") return { key, text: text.provider(value) };
    if (key === "lockedSeconds" && typeof value === "number") return { key, text: text.lockedSeconds(value) };
    if (key === "q" && typeof value === "string") return { key, text: text.searchedNumber(value) };
    if (key === "number" && typeof value === "string") return { key, text: text.numberHash(value) };
    return { key, text: `${key}: ${JSON.stringify(value)}` };
  });
}

function DetailCell({ event }: { event: AuditEventItem }) {
  const parts = detailParts(event.detail);
  const title = parts.map((p) => p.text).join(" · ");
  return (
    <span className="truncate text-slate-600" title={title} data-testid="audit-detail">
      {title}
    </span>
  );
}

/** The target: a revealed lead links to it; anything else is shown as recorded. */
function TargetCell({ event }: { event: AuditEventItem }) {
  if (event.target === null) return null;
  if (event.action === "phone_reveal") {
    return (
      <Link href={`/clues/${encodeURIComponent(event.target)}`} className="truncate text-indigo-700 hover:underline" data-testid="audit-target-link">
        {copy.audit.openLead(event.target)}
      </Link>
    );
  }
  return <span className="truncate">{event.target}</span>;
}

const column = (id: string, label: string, size: number, cell: ColumnDef<AuditEventItem, unknown>["cell"], alwaysVisible = false): ColumnDef<AuditEventItem, unknown> => ({
  id,
  header: label,
  size,
  enableHiding: !alwaysVisible,
  meta: { label, testKey: id, alwaysVisible },
  cell,
});

/** The audit table's columns: module-level, so the table sees the same array on every render. */
export const AUDIT_COLUMNS: ColumnDef<AuditEventItem, unknown>[] = [
  column("at", copy.audit.columnTime, 160, ({ row }) => <span className="tabular-nums text-slate-600" data-testid="audit-at">{row.original.at}</span>, true),
  column(
    "action",
    copy.audit.columnAction,
    120,
    ({ row }) => (
      <span className="rounded bg-slate-100 px-1.5 text-xs leading-5 text-slate-700" data-testid="audit-action" data-action={row.original.action}>
        {copy.audit.actions[row.original.action]}
      </span>
    ),
    true,
  ),
  column("actor", copy.audit.columnActor, 160, ({ row }) => <span className="truncate font-medium text-slate-900" data-testid="audit-actor">{row.original.actor ?? copy.audit.unknownActor}</span>, true),
  column("client", copy.audit.columnClient, 140, ({ row }) => <span className="truncate tabular-nums text-slate-500">{row.original.client ?? ""}</span>),
  column("target", copy.audit.columnTarget, 210, ({ row }) => <TargetCell event={row.original} />),
  column("detail", copy.audit.columnDetail, 520, ({ row }) => <DetailCell event={row.original} />),
];
