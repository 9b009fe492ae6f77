"use client";

import { useQuery } from "@tanstack/react-query";
import { type KeyboardEvent, memo, type PointerEvent, useRef, useState } from "react";
import {
  barSegments,
  type ChartSlot,
  type ChartSplit,
  chartSlots,
  narrowedRange,
  niceCeiling,
  type Segment,
  slotIndexAt,
} from "@/lib/clues/arrivals";
import { type ClueListFilter, clueFacetsQueryOptions } from "@/lib/clues/query-options";
import { addDays } from "@/lib/china-time";
import { ARRIVALS_CHART_FRAME } from "@/components/clues/arrivals-chart-placeholder";
import { copy } from "@/lib/copy";
import type { DayRange } from "@/lib/date-presets";

/** Height of the bars' area; the skeleton (arrivals-chart-slot.tsx) reserves the same. */
export const CHART_HEIGHT = 64;

const SEGMENT_STYLE: Record<ChartSplit, Record<string, { label: string; className: string }>> = {
  type: {
    "1": { label: copy.clueType.person, className: "bg-indigo-400" },
    "2": { label: copy.clueType.company, className: "bg-cyan-500" },
    other: { label: copy.arrivals.other, className: "bg-slate-400" },
  },
  status: {
    clue: { label: copy.clueType.clue, className: "bg-indigo-400" },
    unassigned: { label: copy.clueType.unassigned, className: "bg-amber-400" },
  },
};

const slotName = (slot: ChartSlot) => (slot.start.length > 10 ? copy.arrivals.slotHour(slot.start) : copy.arrivals.slotDay(slot.start));
const partsText = (segments: Segment[], split: ChartSplit) =>
  segments.map((s) => `${SEGMENT_STYLE[split][s.key]?.label ?? s.key} ${s.count.toLocaleString("zh-CN")}`).join("，");

/**
 * Leads per day (per hour for two days or less) of the view, from the facets histogram, stacked by type or
 * status. Hover or keyboard focus shows a bar's counts; a click narrows the view to the bar's day, a drag
 * across bars to the days dragged over. Plain elements and Tailwind: a few dozen bars need no chart library.
 * Memoized: the table renders its toolbar on every scroll frame, the chart's props change only with the view.
 */
export const ArrivalsChart = memo(function ArrivalsChart({ filter, onNarrow }: { filter: ClueListFilter; onNarrow: (range: DayRange) => void }) {
  const facets = useQuery(clueFacetsQueryOptions(filter));
  const [split, setSplit] = useState<ChartSplit>("type");
  const [pointed, setPointed] = useState<number | undefined>(undefined);
  const [focused, setFocused] = useState<number | undefined>(undefined);
  const [drag, setDrag] = useState<{ from: number; to: number } | undefined>(undefined);
  const barsRef = useRef<HTMLDivElement>(null);

  const range = { since: filter.since, before: filter.before };
  const slots = chartSlots(range, facets.data?.histogram ?? []);
  const hourly = slots[0] !== undefined && slots[0].start.length > 10;
  // Slots after now have no bar and cannot be chosen: a drag ends at the last slot with data.
  const lastLive = slots.findLastIndex((s) => s.bucket !== undefined);
  const max = niceCeiling(Math.max(0, ...slots.map((s) => s.bucket?.count ?? 0)));
  const shown = drag === undefined ? (pointed ?? focused) : drag.to;
  const selected = drag === undefined ? undefined : { first: Math.min(drag.from, drag.to), last: Math.max(drag.from, drag.to) };

  const indexAt = (event: PointerEvent<HTMLElement>) => {
    const rect = barsRef.current?.getBoundingClientRect();
    if (!rect) return 0;
    return Math.min(slotIndexAt(event.clientX - rect.left, rect.width, slots.length), lastLive);
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0 || lastLive < 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const index = indexAt(event);
    setDrag({ from: index, to: index });
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const index = indexAt(event);
    if (drag !== undefined) setDrag({ ...drag, to: index });
    else setPointed(index);
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (drag === undefined) return;
    setDrag(undefined);
    const narrowed = narrowedRange(slots, range, drag.from, indexAt(event));
    if (narrowed) onNarrow(narrowed);
  };

  // Roving focus over the bars: one tab stop, arrows move, Enter narrows to the focused bar's day.
  const active = Math.min(focused ?? lastLive, lastLive);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (focused === undefined) return;
    const moves: Record<string, number> = { ArrowLeft: focused - 1, ArrowRight: focused + 1, Home: 0, End: lastLive };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      const next = Math.max(0, Math.min(lastLive, target));
      setFocused(next);
      barsRef.current?.querySelector<HTMLElement>(`[data-slot="${next}"]`)?.focus();
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      const narrowed = narrowedRange(slots, range, focused);
      if (narrowed) onNarrow(narrowed);
    }
  };

  const tip = shown === undefined ? undefined : slots[shown];
  const tipSegments = tip?.bucket === undefined ? [] : barSegments(tip.bucket, split);
  const axis = axisLabels(slots, hourly);

  return (
    <section
      data-testid="arrivals-chart"
      data-state={facets.status}
      className={`${ARRIVALS_CHART_FRAME} px-3 pt-2 pb-1.5`}
    >
      <header className="flex items-center gap-3 pb-1.5 text-xs">
        <h2 className="font-medium text-slate-700">{hourly ? copy.arrivals.titleHourly : copy.arrivals.titleDaily}</h2>
        <ul className="flex items-center gap-3 text-slate-500" aria-hidden>
          {Object.entries(SEGMENT_STYLE[split])
            .filter(([key]) => key !== "other")
            .map(([key, style]) => (
              <li key={key} className="flex items-center gap-1">
                <span className={`size-2 rounded-sm ${style.className}`} />
                {style.label}
              </li>
            ))}
        </ul>
        <span className="ml-auto text-slate-400">{lastLive >= 0 && range.before > addDays(range.since, 1) ? copy.arrivals.narrowHint : null}</span>
        <div role="radiogroup" aria-label={copy.arrivals.splitLabel} className="inline-flex items-center rounded-md bg-slate-100 p-0.5">
          {(["type", "status"] as const).map((value) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={split === value}
              data-testid={`chart-split-${value}`}
              onClick={() => setSplit(value)}
              className={`h-6 rounded px-2 text-xs ${split === value ? "bg-white font-medium text-slate-900 shadow-xs" : "text-slate-500 hover:text-slate-900"}`}
            >
              {value === "type" ? copy.arrivals.byType : copy.arrivals.byStatus}
            </button>
          ))}
        </div>
      </header>

      {facets.isError ? (
        <div className="flex items-center text-xs text-slate-400" style={{ height: CHART_HEIGHT + 18 }} role="status">
          {copy.arrivals.error}
        </div>
      ) : (
        <div className="relative">
          <div className="pointer-events-none absolute inset-x-0 top-0 border-t border-dashed border-slate-200" aria-hidden>
            <span className="absolute -top-2 right-0 bg-white pl-1 text-[10px] leading-4 text-slate-400 tabular-nums">
              {facets.data ? max.toLocaleString("zh-CN") : ""}
            </span>
          </div>
          <div
            ref={barsRef}
            role="group"
            aria-label={copy.arrivals.chartLabel(hourly)}
            aria-busy={facets.isPending}
            data-testid="arrivals-bars"
            className={`flex cursor-crosshair touch-none items-end select-none ${slots.length <= 90 ? "gap-px" : ""}`}
            style={{ height: CHART_HEIGHT }}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={() => setDrag(undefined)}
            onPointerLeave={() => setPointed(undefined)}
            onKeyDown={onKeyDown}
          >
            {slots.map((slot, index) => {
              const inDrag = selected !== undefined && index >= selected.first && index <= selected.last;
              const segments = slot.bucket === undefined ? [] : barSegments(slot.bucket, split);
              const total = slot.bucket?.count ?? 0;
              return (
                <div
                  key={slot.start}
                  data-slot={index}
                  data-start={slot.start}
                  data-count={slot.bucket === undefined ? undefined : total}
                  data-testid="arrivals-bar"
                  role={slot.bucket === undefined ? undefined : "button"}
                  tabIndex={slot.bucket === undefined ? undefined : index === active ? 0 : -1}
                  aria-label={
                    slot.bucket === undefined
                      ? undefined
                      : `${copy.arrivals.barLabel(slotName(slot), total, partsText(segments, split))}${
                          narrowedRange(slots, range, index) ? `，${copy.arrivals.narrowKeys}` : ""
                        }`
                  }
                  onFocus={() => setFocused(index)}
                  onBlur={() => setFocused(undefined)}
                  className={`flex h-full min-w-0 flex-1 flex-col-reverse rounded-t-[2px] outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${
                    inDrag ? "bg-indigo-100" : shown === index ? "bg-slate-100" : ""
                  }`}
                >
                  {facets.isPending ? (
                    <span className="skeleton w-full" style={{ height: `${20 + ((index * 37) % 60)}%` }} />
                  ) : (
                    segments.map((s) =>
                      s.count > 0 ? (
                        <span
                          key={s.key}
                          className={`w-full shrink-0 first:rounded-none last:rounded-t-[2px] ${SEGMENT_STYLE[split][s.key]?.className ?? "bg-slate-400"}`}
                          style={{ height: `${(s.count / max) * 100}%` }}
                        />
                      ) : null,
                    )
                  )}
                </div>
              );
            })}
          </div>
          <div className="relative h-[18px] border-t border-slate-200 text-[10px] leading-[17px] text-slate-400 tabular-nums" aria-hidden>
            {axis.map(({ index, text }) => (
              <span
                key={index}
                className="absolute -translate-x-1/2 whitespace-nowrap first:translate-x-0 last:-translate-x-full"
                style={{ left: `${((index + (index === 0 ? 0 : index === slots.length - 1 ? 1 : 0.5)) / slots.length) * 100}%` }}
              >
                {text}
              </span>
            ))}
          </div>
          {tip?.bucket !== undefined && shown !== undefined ? (
            <div
              role="tooltip"
              data-testid="arrivals-tooltip"
              className="pointer-events-none absolute top-0 z-20 mx-1.5 w-max rounded-md border border-slate-200 bg-white/95 px-2.5 py-1.5 text-xs shadow-lg"
              // Beside the bar, on the side with more room, over the bars rather than the controls above them.
              style={
                shown < slots.length / 2
                  ? { left: `${((shown + 1) / slots.length) * 100}%` }
                  : { right: `${(1 - shown / slots.length) * 100}%` }
              }
            >
              <div className="font-medium text-slate-800">
                {slotName(tip)} · {copy.arrivals.total(tip.bucket.count)}
              </div>
              {tipSegments.map((s) => (
                <div key={s.key} className="flex items-center gap-1.5 text-slate-600">
                  <span className={`size-2 rounded-sm ${SEGMENT_STYLE[split][s.key]?.className ?? "bg-slate-400"}`} />
                  <span>{SEGMENT_STYLE[split][s.key]?.label ?? s.key}</span>
                  <span className="ml-auto pl-3 tabular-nums">{s.count.toLocaleString("zh-CN")}</span>
                </div>
              ))}
            </div>
          ) : null}
        </div>
      )}
    </section>
  );
});

/** A few evenly spread axis labels: the first slot, the last, and up to five between. */
function axisLabels(slots: readonly ChartSlot[], hourly: boolean): { index: number; text: string }[] {
  if (slots.length === 0) return [];
  const wanted = Math.min(slots.length, 7);
  const indexes = new Set(Array.from({ length: wanted }, (_, i) => Math.round((i * (slots.length - 1)) / Math.max(1, wanted - 1))));
  return [...indexes].map((index) => {
    const slot = slots[index]!;
    return { index, text: hourly ? copy.arrivals.axisHour(slot.start) : slot.start.slice(5) };
  });
}
