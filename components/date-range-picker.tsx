"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import type { DateRange } from "react-day-picker";
import { Button } from "@/components/button";
import { Popover } from "@/components/popover";
import { addDays, chinaToday, type Day } from "@/lib/china-time";
import { MAX_RANGE_DAYS } from "@/lib/clues/limits";
import { copy } from "@/lib/copy";
import {
  type DayRange,
  lastDay,
  matchPreset,
  PRESET_IDS,
  presetRange,
  rangeFromInclusive,
  rangeLength,
} from "@/lib/date-presets";

/** Loaded on first open (or when the pointer/focus reaches the trigger), not with the page. */
const loadCalendar = () => import("@/components/range-calendar");
const RangeCalendar = dynamic(() => loadCalendar().then((m) => m.RangeCalendar), {
  ssr: false,
  loading: () => <div className="h-[272px] w-[500px]" aria-busy />,
});

/**
 * The calendar works on *calendar days*, never instants: a China day `2025-03-09` is shown as the local
 * `Date(2025, 2, 9)` and read back with local getters, so the browser's zone cannot move it. "Today" and the
 * presets come from `chinaToday()`, not the browser clock's local date.
 */
export function dayToDate(day: Day): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

export function dateToDay(date: Date): Day {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}`;
}

export function formatRangeLabel(range: DayRange): string {
  const last = lastDay(range);
  return last === range.since ? range.since : `${range.since} ~ ${last}`;
}

/**
 * The range picker. `value` is undefined on a page where the range is optional (the audit log): the trigger then
 * says `unsetLabel` and the calendar opens on the current month.
 */
export function DateRangePicker(props: { value: DayRange | undefined; onChange: (range: DayRange) => void; today: Day; unsetLabel?: string }) {
  const { value, onChange, unsetLabel = "" } = props;
  const [open, setOpen] = useState(false);
  const [today, setToday] = useState(props.today);
  const [draft, setDraft] = useState<DateRange | undefined>(undefined);
  const [month, setMonth] = useState<Date>(() => dayToDate(value?.since ?? props.today));

  const preset = value === undefined ? undefined : matchPreset(value, today);
  const label = value === undefined ? unsetLabel : formatRangeLabel(value);

  const openPanel = () => {
    const now = chinaToday();
    setToday(now);
    setDraft(value === undefined ? undefined : { from: dayToDate(value.since), to: dayToDate(lastDay(value)) });
    // Show the range's last day (or today) in the right-hand month.
    const last = dayToDate(value === undefined ? now : lastDay(value));
    setMonth(new Date(last.getFullYear(), last.getMonth() - 1, 1));
    setOpen(true);
  };

  const applyPreset = (id: (typeof PRESET_IDS)[number]) => {
    onChange(presetRange(id, chinaToday()));
    setOpen(false);
  };

  const draftRange =
    draft?.from !== undefined && draft.to !== undefined
      ? rangeFromInclusive(dateToDay(draft.from), dateToDay(draft.to))
      : undefined;
  const draftDays = draftRange === undefined ? 0 : rangeLength(draftRange);
  const tooLong = draftDays > MAX_RANGE_DAYS;

  const apply = () => {
    if (draftRange === undefined || tooLong) return;
    onChange(draftRange);
    setOpen(false);
  };

  return (
    <Popover
      open={open}
      onOpenChange={(next) => (next ? openPanel() : setOpen(false))}
      label={copy.dateRange.label}
      testId="date-range-popover"
      className="flex w-max"
      trigger={(aria) => (
        <Button
          size="toolbar"
          data-testid="date-range-trigger"
          {...aria}
          aria-label={`${copy.dateRange.label}：${label}`}
          onClick={() => (open ? setOpen(false) : openPanel())}
          onPointerEnter={() => void loadCalendar()}
          onFocus={() => void loadCalendar()}
          className="text-[13px]"
        >
          <svg aria-hidden viewBox="0 0 16 16" className="size-3.5 fill-none stroke-slate-500" strokeWidth="1.5">
            <rect x="2" y="3" width="12" height="11" rx="1.5" />
            <path d="M2 6.5h12M5.5 1.5v3M10.5 1.5v3" />
          </svg>
          {preset !== undefined ? (
            <span className="rounded bg-indigo-50 px-1.5 text-[11px] leading-5 text-indigo-700" data-testid="date-range-preset">
              {copy.dateRange.presets[preset]}
            </span>
          ) : null}
          <span className="tabular-nums" data-testid="date-range-label">
            {label}
          </span>
          <svg aria-hidden viewBox="0 0 16 16" className="size-3 fill-none stroke-slate-400" strokeWidth="1.5">
            <path d="m4 6 4 4 4-4" />
          </svg>
        </Button>
      )}
    >
      <div className="flex w-28 shrink-0 flex-col gap-0.5 border-r border-slate-100 p-2 whitespace-nowrap">
        <div className="px-2 pb-1 text-[11px] text-slate-400">{copy.dateRange.presetsHeading}</div>
        {PRESET_IDS.map((id) => (
          <button
            key={id}
            type="button"
            data-testid={`preset-${id}`}
            onClick={() => applyPreset(id)}
            className={`rounded px-2 py-1.5 text-left text-[13px] hover:bg-slate-100 ${
              preset === id ? "bg-indigo-50 font-medium text-indigo-700" : "text-slate-700"
            }`}
          >
            {copy.dateRange.presets[id]}
          </button>
        ))}
      </div>
      <div className="flex flex-col p-3">
        <div className="pb-1 text-[11px] text-slate-400">
          {copy.dateRange.customHeading} · {copy.dateRange.chinaTimeNote}
        </div>
        <RangeCalendar month={month} onMonthChange={setMonth} selected={draft} onSelect={setDraft} today={dayToDate(today)} />
        <div className="mt-2 flex items-center gap-3 border-t border-slate-100 pt-2">
          <div className="min-w-0 flex-1 text-xs">
            {draft?.from === undefined ? (
              <span className="text-slate-500">{copy.dateRange.pickStart}</span>
            ) : draftRange === undefined ? (
              <span className="text-slate-500">
                {dateToDay(draft.from)} · {copy.dateRange.pickEnd}
              </span>
            ) : tooLong ? (
              <span role="alert" data-testid="range-error" className="text-rose-700">
                {copy.dateRange.tooLong(MAX_RANGE_DAYS, draftDays)}
              </span>
            ) : (
              <span className="text-slate-600 tabular-nums" data-testid="range-summary">
                {copy.dateRange.selected(draftRange.since, addDays(draftRange.before, -1))} ·{" "}
                {copy.dateRange.days(draftDays)}
              </span>
            )}
          </div>
          <button
            type="button"
            onClick={() => setOpen(false)}
            className="h-7 rounded-md px-2.5 text-xs text-slate-600 hover:bg-slate-100"
          >
            {copy.dateRange.cancel}
          </button>
          <button
            type="button"
            data-testid="range-apply"
            onClick={apply}
            disabled={draftRange === undefined || tooLong}
            className="h-7 rounded-md bg-indigo-600 px-3 text-xs font-medium text-white shadow-xs hover:bg-indigo-700 disabled:bg-slate-200 disabled:text-slate-400"
          >
            {copy.dateRange.apply}
          </button>
        </div>
      </div>
    </Popover>
  );
}
