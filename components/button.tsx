import type { ButtonHTMLAttributes } from "react";

/**
 * The app's one outlined button. `md`: a standalone action (retry, reload, load more); `sm`: an action inside a
 * line of text, sized by it; `toolbar`: a control in the table's toolbar, as tall as the type toggle (the
 * caller sets its text size and content).
 */
const SIZES = {
  md: "rounded-md px-3 py-1 text-xs font-medium shadow-xs",
  sm: "rounded px-2 py-0.5",
  toolbar: "inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 shadow-xs",
} as const;

export function Button(props: ButtonHTMLAttributes<HTMLButtonElement> & { size?: keyof typeof SIZES }) {
  const { size = "md", className = "", type = "button", ...rest } = props;
  return (
    <button
      type={type}
      className={`border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 disabled:opacity-60 ${SIZES[size]} ${className}`}
      {...rest}
    />
  );
}
