import "@/components/data-table/column-meta";
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { TagChips } from "@/components/tag-chips";
import { fieldLabel, SYSTEM_FIELD_LABELS } from "@/lib/clues/field-labels";
import type { ClueField, ClueItem, ClueListResponse, Dictionary } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";
import { FIELD_TYPE } from "@/lib/tanma/field-types";

/** A field's display text: select labels joined with "、", everything else (phones too) with ", ". */
export function formatField(field: ClueField): string {
  return field.labels ? field.labels.join("、") : field.values.join(", ");
}

export function isEmptyField(field: ClueField): boolean {
  return field.values.length === 0 || field.values.every((v) => v.trim() === "");
}

function fieldText(item: ClueItem, key: string): string | undefined {
  const f = item.fields.find((x) => x.key === key);
  if (f === undefined || isEmptyField(f)) return undefined;
  return formatField(f);
}

/** The name shown for a clue: its `name` field, else `corp_name`, else its company's name. */
export function clueDisplayName(item: ClueItem): string {
  return fieldText(item, "name") ?? fieldText(item, "corp_name") ?? item.company?.name ?? `#${item.customerId}`;
}

export function clueTypeLabel(type: number): string {
  return type === 2 ? copy.clueType.company : copy.clueType.person;
}

export function companyHref(company: { id: string; name: string }): string {
  return `/companies/${encodeURIComponent(company.id)}?name=${encodeURIComponent(company.name)}`;
}

/** Field keys in column order, with the type first seen for each. */
export type FieldKeyInfo = { key: string; type: number };

const pageKeyCache = new WeakMap<ClueListResponse, FieldKeyInfo[]>();

/**
 * The field keys present in the loaded pages. Each page is scanned once (cached by page object), so a new page
 * costs one page of work. Order: the built-in keys in a fixed order, then other keys as first seen — a key
 * first seen on page 5 appends a column and moves nothing the user was looking at.
 */
export function collectFieldKeys(pages: readonly ClueListResponse[]): FieldKeyInfo[] {
  const seen = new Map<string, number>();
  for (const page of pages) {
    let keys = pageKeyCache.get(page);
    if (keys === undefined) {
      const local = new Map<string, number>();
      for (const item of page.items) for (const f of item.fields) if (!local.has(f.key)) local.set(f.key, f.type);
      keys = [...local].map(([key, type]) => ({ key, type }));
      pageKeyCache.set(page, keys);
    }
    for (const k of keys) if (!seen.has(k.key)) seen.set(k.key, k.type);
  }
  const system = Object.keys(SYSTEM_FIELD_LABELS);
  const rank = (key: string) => {
    const i = system.indexOf(key);
    return i === -1 ? system.length : i;
  };
  const ordered = [...seen].map(([key, type], firstSeen) => ({ key, type, firstSeen }));
  ordered.sort((a, b) => rank(a.key) - rank(b.key) || a.firstSeen - b.firstSeen);
  return ordered.map(({ key, type }) => ({ key, type }));
}

/** A stable string for a key set, used as the memo key of the column definitions. */
export const fieldKeysSignature = (keys: readonly FieldKeyInfo[]) => keys.map((k) => `${k.key}:${k.type}`).join("|");

function widthFor(type: number): number {
  switch (type) {
    case FIELD_TYPE.multiLineText:
      return 240;
    case FIELD_TYPE.phone:
      return 190;
    case FIELD_TYPE.number:
      return 100;
    case FIELD_TYPE.date:
      return 110;
    case FIELD_TYPE.dateTime:
      return 160;
    case FIELD_TYPE.multiSelect:
      return 180;
    default:
      return 140;
  }
}

const Dash = () => <span className="text-slate-300">—</span>;

function FieldCell({ item, fieldKey }: { item: ClueItem; fieldKey: string }) {
  const field = item.fields.find((f) => f.key === fieldKey);
  if (field === undefined || isEmptyField(field)) return <Dash />;
  const text = formatField(field);
  if (field.type === FIELD_TYPE.multiLineText) {
    const oneLine = text.replace(/\s*\n\s*/g, " ⏎ ");
    return (
      <span className="truncate text-slate-700" title={text}>
        {oneLine}
      </span>
    );
  }
  if (field.type === FIELD_TYPE.phone) {
    return (
      <span className="truncate font-mono text-[12px] text-slate-700" title={text}>
        {text}
      </span>
    );
  }
  if (field.type === FIELD_TYPE.number || field.type === FIELD_TYPE.date || field.type === FIELD_TYPE.dateTime) {
    return <span className="truncate tabular-nums text-slate-700">{text}</span>;
  }
  return (
    <span className="truncate text-slate-700" title={text}>
      {text}
    </span>
  );
}

/** Fixed columns followed by one column per field key, labelled from the dictionary. */
export function buildClueColumns(
  fieldKeys: readonly FieldKeyInfo[],
  dictionary: Dictionary | undefined,
  options: { showCompany?: boolean } = {},
): ColumnDef<ClueItem, unknown>[] {
  const fixed: ColumnDef<ClueItem, unknown>[] = [
    {
      id: "createTime",
      accessorFn: (r) => r.createTime,
      header: copy.columns.createTime,
      size: 150,
      enableHiding: false,
      meta: { label: copy.columns.createTime, testKey: "createTime", group: "fixed", alwaysVisible: true },
      cell: ({ row }) => <span className="tabular-nums text-slate-600">{row.original.createTime.slice(0, 16)}</span>,
    },
    {
      id: "displayName",
      accessorFn: clueDisplayName,
      header: copy.columns.name,
      size: 170,
      enableHiding: false,
      meta: { label: copy.columns.name, testKey: "displayName", group: "fixed", alwaysVisible: true },
      cell: ({ row }) => {
        const name = clueDisplayName(row.original);
        return (
          <span className="truncate font-medium text-slate-900" title={name}>
            {name}
          </span>
        );
      },
    },
    {
      id: "type",
      accessorFn: (r) => r.type,
      header: copy.columns.type,
      size: 116,
      meta: { label: copy.columns.type, testKey: "type", group: "fixed" },
      cell: ({ row }) => <TypeBadges type={row.original.type} isClue={row.original.isClue} />,
    },
  ];
  if (options.showCompany !== false) {
    fixed.push({
      id: "company",
      accessorFn: (r) => r.company?.name ?? "",
      header: copy.columns.company,
      size: 190,
      meta: { label: copy.columns.company, testKey: "company", group: "fixed" },
      cell: ({ row }) => {
        const c = row.original.company;
        if (c === null) return <Dash />;
        return (
          <Link
            href={companyHref(c)}
            prefetch={false} // dozens of rows on screen: no RSC prefetch per company link
            data-testid="company-link"
            data-company-id={c.id}
            className="truncate text-indigo-700 hover:text-indigo-900 hover:underline"
            title={c.name}
          >
            {c.name}
          </Link>
        );
      },
    });
  }
  fixed.push({
    id: "tags",
    accessorFn: (r) => r.tags.length,
    header: copy.columns.tags,
    size: 280,
    meta: { label: copy.columns.tags, testKey: "tags", group: "fixed" },
    cell: ({ row }) => <TagChips tags={row.original.tags} />,
  });

  const fields = fieldKeys.map<ColumnDef<ClueItem, unknown>>(({ key, type }) => {
    const label = fieldLabel(key, dictionary);
    return {
      id: `field:${key}`,
      accessorFn: (r) => fieldText(r, key) ?? "",
      header: label,
      size: widthFor(type),
      meta: { label, testKey: key, group: "field", align: type === FIELD_TYPE.number ? "end" : "start" },
      cell: ({ row }) => <FieldCell item={row.original} fieldKey={key} />,
    };
  });
  return [...fixed, ...fields];
}

export function TypeBadges({ type, isClue }: { type: number; isClue: boolean }) {
  return (
    <span className="flex items-center gap-1" data-testid="clue-type" data-type={type} data-is-clue={String(isClue)}>
      <span
        className={`rounded px-1.5 text-[11px] leading-5 ${
          type === 2 ? "bg-cyan-50 text-cyan-800" : "bg-stone-100 text-stone-700"
        }`}
      >
        {clueTypeLabel(type)}
      </span>
      <span className={`text-[11px] ${isClue ? "text-slate-500" : "text-amber-700"}`}>
        {isClue ? copy.clueType.clue : copy.clueType.unassigned}
      </span>
    </span>
  );
}
