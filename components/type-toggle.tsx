"use client";

import type { KeyboardEvent } from "react";
import type { ClueType } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";

const OPTIONS: { value: ClueType | undefined; key: "all" | "1" | "2"; label: string }[] = [
  { value: undefined, key: "all", label: copy.clueType.all },
  { value: 1, key: "1", label: copy.clueType.person },
  { value: 2, key: "2", label: copy.clueType.company },
];

/** Every value the toggle offers (全部 is `undefined`). */
export const TYPE_VALUES = OPTIONS.map((o) => o.value);

/**
 * A segmented control (radio group semantics: arrows move between options). `onIntent` is called when an
 * option other than the current one is pointed at or focused, before it is chosen (to prefetch its data).
 */
export function TypeToggle(props: {
  value: ClueType | undefined;
  onChange: (value: ClueType | undefined) => void;
  onIntent?: (value: ClueType | undefined) => void;
  /** Leads each option would show (the range and the other filters), once known. */
  counts?: Partial<Record<"all" | "1" | "2", number>>;
}) {
  const { value, onChange, onIntent, counts } = props;
  const current = OPTIONS.findIndex((o) => o.value === value);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const delta = e.key === "ArrowRight" || e.key === "ArrowDown" ? 1 : e.key === "ArrowLeft" || e.key === "ArrowUp" ? -1 : 0;
    if (delta === 0) return;
    e.preventDefault();
    const next = OPTIONS[(current + delta + OPTIONS.length) % OPTIONS.length];
    const group = e.currentTarget;
    if (next) {
      onChange(next.value);
      requestAnimationFrame(() => group.querySelector<HTMLButtonElement>(`[data-value="${next.key}"]`)?.focus());
    }
  };

  return (
    <div
      role="radiogroup"
      aria-label={copy.clueType.label}
      data-testid="type-toggle"
      onKeyDown={onKeyDown}
      className="inline-flex h-8 items-center rounded-md bg-slate-200/70 p-0.5"
    >
      {OPTIONS.map((o, i) => {
        const selected = i === current;
        const count = counts?.[o.key];
        return (
          <button
            key={o.key}
            type="button"
            role="radio"
            aria-checked={selected}
            tabIndex={selected ? 0 : -1}
            data-value={o.key}
            data-testid={`type-option-${o.key}`}
            onClick={() => onChange(o.value)}
            onPointerEnter={selected ? undefined : () => onIntent?.(o.value)}
            onFocus={selected ? undefined : () => onIntent?.(o.value)}
            className={`h-7 rounded px-3 text-[13px] transition-colors ${
              selected ? "bg-white font-medium text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900"
            }`}
          >
            {o.label}
            {count === undefined ? null : (
              <span data-testid={`type-count-${o.key}`} className="ml-1 text-[11px] font-normal text-slate-500 tabular-nums">
                {count.toLocaleString("zh-CN")}
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}
