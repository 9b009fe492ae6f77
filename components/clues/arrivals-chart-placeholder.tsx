/** The arrivals chart's box while its code loads: the same size, so the table below does not move. */
export function ArrivalsChartPlaceholder() {
  return <div aria-hidden className="h-[128px] rounded-lg border border-slate-200 bg-white shadow-xs" />;
}
