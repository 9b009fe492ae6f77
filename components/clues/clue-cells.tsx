import Link from "next/link";
import { clueTypeLabel, companyHref, formatField, isEmptyField } from "@/lib/clues/display";
import type { ClueCompany, ClueItem } from "@/lib/clues/schema";
import { Highlighted } from "@/components/clues/search-highlight";
import { SEARCHED_FIELD_KEYS } from "@/lib/clues/search-match";
import { copy } from "@/lib/copy";
import { FIELD_TYPE } from "@/lib/clues/field-types";

/** What the clue table's cells render; the column definitions (clue-columns.tsx) say which goes where. */

export const Dash = () => <span className="text-slate-300">—</span>;

export function FieldCell({ item, fieldKey }: { item: ClueItem; fieldKey: string }) {
  const field = item.fields.find((f) => f.key === fieldKey);
  if (field === undefined || isEmptyField(field)) return <Dash />;
  const text = formatField(field);
  const searched = SEARCHED_FIELD_KEYS.has(fieldKey);
  if (field.type === FIELD_TYPE.multiLineText) {
    const oneLine = text.replace(/\s*\n\s*/g, " ⏎ ");
    return (
      <span className="truncate text-slate-700" title={text}>
        {searched ? <Highlighted text={oneLine} /> : oneLine}
      </span>
    );
  }
  if (field.type === FIELD_TYPE.phone) {
    return (
      <span className="truncate font-mono text-[12px] text-slate-700" title={text}>
        <Highlighted text={text} kind="phone" />
      </span>
    );
  }
  if (field.type === FIELD_TYPE.number || field.type === FIELD_TYPE.date || field.type === FIELD_TYPE.dateTime) {
    return <span className="truncate tabular-nums text-slate-700">{text}</span>;
  }
  return (
    <span className="truncate text-slate-700" title={text}>
      {searched ? <Highlighted text={text} /> : text}
    </span>
  );
}

export function CompanyCell({ company }: { company: ClueCompany | null }) {
  if (company === null) return <Dash />;
  return (
    <Link
      href={companyHref(company)}
      prefetch={false} // dozens of rows on screen: no RSC prefetch per company link
      data-testid="company-link"
      data-company-id={company.id}
      className="truncate text-indigo-700 hover:text-indigo-900 hover:underline"
      title={company.name}
    >
      <Highlighted text={company.name} />
    </Link>
  );
}

/** 个人/企业 and 线索/待分配, in the table and the detail header. */
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
