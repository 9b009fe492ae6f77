import type { ReactNode } from "react";

/**
 * The card a route shows instead of its content (not found, an error): a title, one line of help and one
 * way on. Each page keeps its own `<main>`, since the root layout and the clue layout size it differently.
 */
export function PageNotice(props: { title: string; hint: string; action: ReactNode; tone?: "neutral" | "error"; testId?: string }) {
  const { title, hint, action, tone = "neutral", testId } = props;
  return (
    <div
      role="alert"
      data-testid={testId}
      className={`flex max-w-md flex-col items-start gap-2 rounded-lg border bg-white p-6 shadow-xs ${
        tone === "error" ? "border-rose-200" : "border-slate-200"
      }`}
    >
      <h1 className="text-base font-medium text-slate-900">{title}</h1>
      <p className="text-sm text-slate-600">{hint}</p>
      {action}
    </div>
  );
}
