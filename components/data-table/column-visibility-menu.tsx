"use client";

import "@/components/data-table/column-meta";
import type { Table } from "@tanstack/react-table";
import { useState } from "react";
import { Button } from "@/components/button";
import { Popover } from "@/components/popover";
import { copy } from "@/lib/copy";

/** A menu of checkboxes, one per column; the choice is persisted by the owner of the visibility state. */
export function ColumnVisibilityMenu<T>({ table }: { table: Table<T> }) {
  const [open, setOpen] = useState(false);

  const columns = table.getAllLeafColumns().filter((c) => c.getCanHide());
  const hidden = columns.filter((c) => !c.getIsVisible()).length;
  const groups: { title: string; cols: typeof columns }[] = [
    { title: copy.columns.fixed, cols: columns.filter((c) => c.columnDef.meta?.group !== "field") },
    { title: copy.columns.fields, cols: columns.filter((c) => c.columnDef.meta?.group === "field") },
  ];

  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      label={copy.columns.menuTitle}
      testId="column-menu"
      align="end"
      className="max-h-[70vh] w-64 overflow-auto p-2 text-sm"
      trigger={(aria) => (
        <Button size="toolbar" data-testid="column-menu-trigger" {...aria} onClick={() => setOpen((o) => !o)} className="text-xs">
          <svg aria-hidden viewBox="0 0 16 16" className="size-3.5 fill-none stroke-current" strokeWidth="1.5">
            <path d="M2 3h12M2 8h12M2 13h12" />
          </svg>
          {copy.columns.menu}
          {hidden > 0 ? <span className="rounded bg-slate-100 px-1 text-[11px] text-slate-500">−{hidden}</span> : null}
        </Button>
      )}
    >
      <div className="flex items-center justify-between px-1 pb-1">
        <span className="text-xs font-medium text-slate-500">{copy.columns.menuTitle}</span>
        <button
          type="button"
          className="text-xs text-indigo-700 hover:underline disabled:text-slate-300 disabled:no-underline"
          disabled={hidden === 0}
          onClick={() => table.setColumnVisibility({})}
        >
          {copy.columns.showAll}
        </button>
      </div>
      {groups.map((g) =>
        g.cols.length === 0 ? null : (
          <fieldset key={g.title} className="border-t border-slate-100 py-1">
            <legend className="px-1 pt-1 text-[11px] text-slate-400">{g.title}</legend>
            {g.cols.map((c) => (
              <label key={c.id} className="flex cursor-pointer items-center gap-2 rounded px-1 py-1 hover:bg-slate-50">
                <input
                  type="checkbox"
                  className="accent-indigo-600"
                  checked={c.getIsVisible()}
                  onChange={(e) => c.toggleVisibility(e.target.checked)}
                  data-testid={`column-toggle-${c.columnDef.meta?.testKey ?? c.id}`}
                />
                <span className="truncate">{c.columnDef.meta?.label ?? c.id}</span>
              </label>
            ))}
          </fieldset>
        ),
      )}
    </Popover>
  );
}
