"use client";

import type { VisibilityState } from "@tanstack/react-table";
import { useCallback, useMemo, useSyncExternalStore } from "react";

/**
 * Column visibility persisted per browser in localStorage. Read through `useSyncExternalStore`, whose server
 * snapshot (nothing stored) is also what hydration renders, so the server-rendered header and the first client
 * render agree; the stored choice applies right after.
 */

/** What this tab last chose per key: it applies for the visit even where storage refuses to keep it. */
const chosen = new Map<string, string>();
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function stored(storageKey: string): string | null {
  const mine = chosen.get(storageKey);
  if (mine !== undefined) return mine;
  try {
    return window.localStorage.getItem(storageKey);
  } catch {
    return null; // unreadable storage (private mode): every column visible
  }
}

function parseVisibility(text: string | null): VisibilityState {
  if (text === null) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
    const clean: VisibilityState = {};
    for (const [k, v] of Object.entries(parsed)) if (typeof v === "boolean") clean[k] = v;
    return clean;
  } catch {
    return {}; // bad JSON: every column visible
  }
}

export function usePersistentVisibility(storageKey: string) {
  const text = useSyncExternalStore(
    subscribe,
    () => stored(storageKey),
    () => null,
  );
  const visibility = useMemo(() => parseVisibility(text), [text]);

  const update = useCallback(
    (updater: VisibilityState | ((old: VisibilityState) => VisibilityState)) => {
      const next = typeof updater === "function" ? updater(parseVisibility(stored(storageKey))) : updater;
      const serialized = JSON.stringify(next);
      chosen.set(storageKey, serialized);
      try {
        window.localStorage.setItem(storageKey, serialized);
      } catch {
        // Storage full or blocked: the choice still applies for this visit.
      }
      for (const listener of listeners) listener();
    },
    [storageKey],
  );

  return [visibility, update] as const;
}
