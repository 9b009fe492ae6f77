"use client";

import { type ReactNode, type RefObject, useEffect, useEffectEvent, useId, useRef } from "react";

/**
 * A trigger and the panel it opens below it (the date picker, the column menu). The owner keeps the open
 * state; a click outside or Escape closes the panel. `trigger` gets the ARIA attributes that tie it to the panel.
 */
export function Popover(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  trigger: (aria: { "aria-haspopup": "dialog"; "aria-expanded": boolean; "aria-controls": string | undefined }) => ReactNode;
  /** `aria-label` of the panel. */
  label: string;
  testId?: string;
  /** Which edge of the trigger the panel lines up with. */
  align?: "start" | "end";
  /** The panel's own layout (width, padding, scrolling). */
  className?: string;
  children: ReactNode;
}) {
  const { open, onOpenChange, trigger, label, testId, align = "start", className = "", children } = props;
  const ref = useRef<HTMLDivElement>(null);
  const panelId = useId();
  useDismiss(ref, open, () => onOpenChange(false));
  return (
    <div ref={ref} className="relative">
      {trigger({ "aria-haspopup": "dialog", "aria-expanded": open, "aria-controls": open ? panelId : undefined })}
      {open ? (
        <div
          id={panelId}
          role="dialog"
          aria-label={label}
          data-testid={testId}
          className={`absolute z-30 mt-1 rounded-lg border border-slate-200 bg-white shadow-lg ${align === "end" ? "right-0" : "left-0"} ${className}`}
        >
          {children}
        </div>
      ) : null}
    </div>
  );
}

/** Calls `onClose` on a pointer down outside `ref` or on Escape, while `open`. */
function useDismiss(ref: RefObject<HTMLElement | null>, open: boolean, onClose: () => void) {
  const close = useEffectEvent(onClose);
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) close();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        close();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey, true);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey, true);
    };
  }, [ref, open]);
}
