"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import { Button } from "@/components/button";
import { Popover } from "@/components/popover";
import type { ClueView } from "@/lib/clues/search-params";
import { copy } from "@/lib/copy";

// The menu's content (and its mutations) loads when the menu is first opened, out of the list's first-load JS.
const SavedViewsPanel = dynamic(() => import("@/components/clues/saved-views-panel"), {
  ssr: false,
  loading: () => <p className="px-2 py-1 text-xs text-slate-500">{copy.list.loading}</p>,
});

/** 视图: the caller's saved views (see saved-views-panel.tsx). */
export function SavedViewsMenu({ view }: { view: ClueView }) {
  const [open, setOpen] = useState(false);
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      label={copy.desk.viewsTitle}
      testId="views-menu"
      align="end"
      className="w-80 p-2"
      trigger={(aria) => (
        <Button size="toolbar" data-testid="views-button" className="text-[13px]" onClick={() => setOpen(!open)} {...aria}>
          <svg aria-hidden viewBox="0 0 20 20" className="size-4 text-slate-500" fill="none" stroke="currentColor" strokeWidth="1.8">
            <path d="M5 3h10v14l-5-3.5L5 17z" strokeLinejoin="round" />
          </svg>
          {copy.desk.views}
        </Button>
      )}
    >
      <SavedViewsPanel view={view} onPick={() => setOpen(false)} />
    </Popover>
  );
}
