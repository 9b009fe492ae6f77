import { context, type Span, SpanStatusCode, trace } from "@opentelemetry/api";

/**
 * The app's own spans, between Next.js's span of a request and the fetch span of each Tanma call: the store's
 * queries and walks, and Tanma calls by path. Without an SDK registered (instrumentation.ts registers one only
 * when OTEL_EXPORTER_OTLP_ENDPOINT is set) the API's tracer is a no-op and these cost next to nothing.
 */
const tracer = () => trace.getTracer("clue-desk");

/** Runs `work` in a span named `name`; a failure is recorded on the span and thrown on. */
export function inSpan<T>(name: string, attributes: Record<string, string | number>, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * `task` bound to the trace context it is created in. Work that waits in a queue (the Tanma limiter, the day
 * walkers) is started from whichever call freed its place: unbound, its spans would join that call's trace.
 */
export function inCurrentTrace<A extends unknown[], T>(task: (...args: A) => T): (...args: A) => T {
  return context.bind(context.active(), task);
}
