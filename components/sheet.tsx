"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, useCallback, useEffect, useRef } from "react";
import { copy } from "@/lib/copy";

/**
 * A side sheet for an intercepted route. Closing (×, Escape, a click on the overlay) is `router.back()`, so the
 * page underneath — still mounted — comes back exactly as it was, and the browser's back button does the same.
 */
export function Sheet({ children, label }: { children: ReactNode; label: string }) {
  const router = useRouter();
  const panelRef = useRef<HTMLDivElement>(null);
  const closing = useRef(false);

  const close = useCallback(() => {
    if (closing.current) return;
    closing.current = true;
    router.back();
  }, [router]);

  useEffect(() => {
    closing.current = false;
    const previouslyFocused = document.activeElement as HTMLElement | null;
    const panel = panelRef.current;
    panel?.focus({ preventScroll: true });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !e.defaultPrevented) {
        e.preventDefault();
        close();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      // Back to where focus was, unless the page underneath has already put it somewhere (a list that
      // followed the sheet through its rows focuses the row last shown).
      const unclaimed = document.activeElement === null || document.activeElement === document.body || panel?.contains(document.activeElement);
      if (unclaimed && previouslyFocused?.isConnected) previouslyFocused.focus({ preventScroll: true });
    };
  }, [close]);

  // Keep Tab inside the sheet while it is open.
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "Tab" || !panelRef.current) return;
    const focusables = panelRef.current.querySelectorAll<HTMLElement>(
      'a[href],button:not([disabled]),input,select,textarea,[tabindex]:not([tabindex="-1"])',
    );
    const first = focusables[0];
    const last = focusables[focusables.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && (document.activeElement === first || document.activeElement === panelRef.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="fixed inset-0 z-40 flex justify-end" data-testid="sheet">
      <div
        aria-hidden
        data-testid="sheet-overlay"
        className="absolute inset-0 bg-slate-900/25 backdrop-blur-[1px]"
        onClick={close}
      />
      <div
        ref={panelRef}
        role="dialog"
        aria-modal="true"
        aria-label={label}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        className="relative flex h-full w-[min(680px,100vw)] flex-col border-l border-slate-200 bg-white shadow-2xl outline-none"
      >
        <button
          type="button"
          data-testid="close-detail"
          aria-label={copy.detail.close}
          title={`${copy.detail.close} (Esc)`}
          onClick={close}
          className="absolute top-3 right-3 z-10 inline-flex size-8 items-center justify-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-900"
        >
          <svg aria-hidden viewBox="0 0 16 16" className="size-4 fill-none stroke-current" strokeWidth="1.6">
            <path d="m4 4 8 8M12 4l-8 8" />
          </svg>
        </button>
        <div className="quiet-scroll min-h-0 flex-1 overflow-y-auto">{children}</div>
      </div>
    </div>
  );
}
