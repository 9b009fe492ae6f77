"use client";

import type { VisibilityState } from "@tanstack/react-table";
import { useCallback, useEffect, useState } from "react";

/**
 * Column visibility persisted per browser in localStorage. Loaded after mount (not in the initial state) so
 * the server-rendered header and the first client render agree.
 */
export function usePersistentVisibility(storageKey: string) {
  const [visibility, setVisibility] = useState<VisibilityState>({});

  useEffect(() => {
    try {
      const stored = window.localStorage.getItem(storageKey);
      if (stored !== null) {
        const parsed: unknown = JSON.parse(stored);
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
          const clean: VisibilityState = {};
          for (const [k, v] of Object.entries(parsed)) if (typeof v === "boolean") clean[k] = v;
          setVisibility(clean);
        }
      }
    } catch {
      // Unreadable storage (private mode, bad JSON): keep every column visible.
    }
  }, [storageKey]);

  const update = useCallback(
    (updater: VisibilityState | ((old: VisibilityState) => VisibilityState)) => {
      setVisibility((old) => {
        const next = typeof updater === "function" ? updater(old) : updater;
        try {
          window.localStorage.setItem(storageKey, JSON.stringify(next));
        } catch {
          // Storage full or blocked: the choice still applies for this visit.
        }
        return next;
      });
    },
    [storageKey],
  );

  return [visibility, update] as const;
}
