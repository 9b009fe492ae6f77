import "@/components/data-table/column-meta";
import type { ColumnDef } from "@tanstack/react-table";
import { CompanyCell, FieldCell, TypeBadges } from "@/components/clues/clue-cells";
import { Highlighted } from "@/components/clues/search-highlight";
import { TouchCell } from "@/components/clues/touch-cell";
import { TagChips } from "@/components/tag-chips";
import { clueDisplayName, fieldText } from "@/lib/clues/display";
import type { FieldKeyInfo } from "@/lib/clues/field-keys";
import { fieldLabel } from "@/lib/clues/field-labels";
import type { ClueItem, Dictionary } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";
import { FIELD_TYPE } from "@/lib/clues/field-types";

/** A field column's starting width, by the field's type. */
const FIELD_WIDTHS: Partial<Record<number, number>> = {
  [FIELD_TYPE.multiLineText]: 240,
  [FIELD_TYPE.phone]: 190,
  [FIELD_TYPE.number]: 100,
  [FIELD_TYPE.date]: 110,
  [FIELD_TYPE.dateTime]: 160,
  [FIELD_TYPE.multiSelect]: 180,
};
const DEFAULT_FIELD_WIDTH = 140;
/** Until the facets say the server's TOUCH_SLA_MINUTES: its default. */
const DEFAULT_SLA_MINUTES = 60;

/** Fixed columns followed by one column per field key, labelled from the dictionary. */
export function buildClueColumns(
  fieldKeys: readonly FieldKeyInfo[],
  dictionary: Dictionary | undefined,
  options: { showCompany?: boolean; slaMinutes?: number } = {},
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
            <Highlighted text={name} />
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
      cell: ({ row }) => <CompanyCell company={row.original.company} />,
    });
  }
  fixed.push({
    id: "touch",
    accessorFn: (r) => r.firstTouchAt ?? "",
    header: copy.columns.touch,
    size: 150,
    meta: { label: copy.columns.touch, testKey: "touch", group: "fixed" },
    cell: ({ row }) => <TouchCell item={row.original} slaMinutes={options.slaMinutes ?? DEFAULT_SLA_MINUTES} />,
  });
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
      size: FIELD_WIDTHS[type] ?? DEFAULT_FIELD_WIDTH,
      meta: { label, testKey: key, group: "field", align: type === FIELD_TYPE.number ? "end" : "start" },
      cell: ({ row }) => <FieldCell item={row.original} fieldKey={key} />,
    };
  });
  return [...fixed, ...fields];
}
