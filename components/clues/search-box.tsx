"use client";

import { useEffect, useEffectEvent, useRef, useState } from "react";
import { MAX_QUERY_LENGTH } from "@/lib/clues/limits";
import { copy } from "@/lib/copy";

const DEBOUNCE_MS = 250;

/** Whether a key press is someone typing into a field (where `/` is a character, not a shortcut). */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.closest("input, textarea, select, [role='textbox']") !== null;
}

/**
 * The list's search: what is typed goes to the URL (`q`) 250 ms after the last keystroke, and the server
 * searches the whole range. `/` focuses it from anywhere on the page (while `enabled`); Escape clears it.
 */
export function SearchBox(props: { value: string | undefined; onChange: (q: string | null) => void; enabled?: boolean }) {
  const { value, onChange, enabled = true } = props;
  const [text, setText] = useState(value ?? "");
  // The URL changed by other means (a chip removed, 清除筛选, back): show it (adjusting state while rendering).
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    if ((value ?? "") !== text.trim()) setText(value ?? "");
  }
  const inputRef = useRef<HTMLInputElement>(null);

  const commit = (next: string) => {
    const trimmed = next.trim();
    if (trimmed !== (value ?? "")) onChange(trimmed === "" ? null : trimmed);
  };
  const commitLater = useEffectEvent(commit);
  useEffect(() => {
    const id = setTimeout(() => commitLater(text), DEBOUNCE_MS);
    return () => clearTimeout(id);
  }, [text]);

  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      e.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [enabled]);

  return (
    <div className="relative flex h-8 w-72 items-center">
      <svg aria-hidden viewBox="0 0 20 20" className="pointer-events-none absolute left-2.5 size-4 text-slate-400" fill="none" stroke="currentColor" strokeWidth="1.8">
        <circle cx="9" cy="9" r="5.5" />
        <path d="m13.5 13.5 3.5 3.5" strokeLinecap="round" />
      </svg>
      <input
        ref={inputRef}
        type="search"
        data-testid="search-input"
        aria-label={copy.desk.searchLabel}
        placeholder={copy.desk.searchPlaceholder}
        maxLength={MAX_QUERY_LENGTH}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape" && text !== "") {
            e.preventDefault();
            e.stopPropagation();
            setText("");
          } else if (e.key === "Enter") {
            commit(text);
          }
        }}
        className="h-8 w-full rounded-md border border-slate-300 bg-white pr-8 pl-8 text-[13px] text-slate-900 shadow-xs outline-none placeholder:text-slate-400 focus:border-indigo-400 focus:ring-2 focus:ring-indigo-100 [&::-webkit-search-cancel-button]:hidden"
      />
      {text === "" ? (
        <kbd aria-hidden title={copy.desk.searchHint} className="pointer-events-none absolute right-2 rounded border border-slate-200 bg-slate-50 px-1.5 font-mono text-[11px] leading-4 text-slate-400">
          /
        </kbd>
      ) : (
        <button
          type="button"
          aria-label={copy.desk.clearSearch}
          data-testid="search-clear"
          onClick={() => {
            setText("");
            inputRef.current?.focus();
          }}
          className="absolute right-1.5 flex size-5 items-center justify-center rounded text-slate-400 hover:bg-slate-100 hover:text-slate-700"
        >
          ×
        </button>
      )}
    </div>
  );
}
