"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { Button } from "@/components/button";
import { Popover } from "@/components/popover";
import type { ClueListFilter } from "@/lib/clues/query-options";
import { copy } from "@/lib/copy";

export type ExportState =
  | { phase: "idle" }
  | { phase: "running"; bytes: number }
  | { phase: "done"; fileName: string }
  | { phase: "failed"; message: string };

// The menu's content (the download logic) loads when the menu is first opened, out of the list's first-load JS.
const ExportPanel = dynamic(() => import("@/components/clues/export-panel"), {
  ssr: false,
  loading: () => <p className="px-2 py-1 text-xs text-slate-500">{copy.list.loading}</p>,
});

/** 导出: the current view as Excel or CSV (see export-panel.tsx). */
export function ExportMenu({ filter, total }: { filter: ClueListFilter; total: number | undefined }) {
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<ExportState>({ phase: "idle" });
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      label={copy.desk.exportTitle}
      testId="export-menu"
      align="end"
      className="w-72 p-2"
      trigger={(aria) => (
        <Button size="toolbar" data-testid="export-button" className="text-[13px]" onClick={() => setOpen(!open)} {...aria}>
          <svg
            aria-hidden
            viewBox="0 0 20 20"
            className={`size-4 text-slate-500 ${state.phase === "running" ? "animate-pulse" : ""}`}
            fill="none"
            stroke="currentColor"
            strokeWidth="1.8"
          >
            <path d="M10 3v9m0 0-3.5-3.5M10 12l3.5-3.5M4 14v2h12v-2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          {copy.desk.export}
        </Button>
      )}
    >
      <ExportPanel filter={filter} total={total} state={state} setState={setState} />
    </Popover>
  );
}
