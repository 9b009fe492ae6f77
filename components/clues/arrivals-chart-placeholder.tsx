/**
 * The arrivals chart's frame, of one fixed height for the chart in every state (loading, failed, drawn) and for
 * its placeholder while the chart's code loads: the table below never moves when one replaces the other (it
 * once moved 4 px, and a row being read moved with it).
 */
export const ARRIVALS_CHART_FRAME = "h-[132px] rounded-lg border border-slate-200 bg-white shadow-xs";

/** The arrivals chart's box while its code loads. */
export function ArrivalsChartPlaceholder() {
  return <div aria-hidden data-testid="arrivals-chart-placeholder" className={ARRIVALS_CHART_FRAME} />;
}
