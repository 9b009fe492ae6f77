"use client";

import { useState } from "react";
import { Button } from "@/components/button";
import { Popover } from "@/components/popover";
import { errorMessage, responseError } from "@/lib/clues/api-client";
import { type ClueListFilter, clueExportUrl } from "@/lib/clues/query-options";
import type { ExportFormat } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";

type ExportState =
  | { phase: "idle" }
  | { phase: "running"; bytes: number }
  | { phase: "done"; fileName: string }
  | { phase: "failed"; message: string };

/** The file name the server gave (`filename*=UTF-8''…`, else `filename="…"`). */
function fileNameOf(disposition: string | null, fallback: string): string {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? "")?.[1];
  if (encoded !== undefined) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(disposition ?? "")?.[1] ?? fallback;
}

const formatBytes = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

/**
 * 导出: every lead of the current view (not only the loaded rows) as Excel or CSV. The file is fetched as a
 * stream so the menu can show how much has arrived, then handed to the browser under the server's file name.
 */
export function ExportMenu({ filter, total }: { filter: ClueListFilter; total: number | undefined }) {
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<ExportState>({ phase: "idle" });

  const run = async (format: ExportFormat) => {
    setState({ phase: "running", bytes: 0 });
    try {
      const res = await fetch(clueExportUrl(filter, format));
      if (!res.ok || res.body === null) throw await responseError(res);
      const reader = res.body.getReader();
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        bytes += value.byteLength;
        setState({ phase: "running", bytes });
      }
      const fileName = fileNameOf(res.headers.get("content-disposition"), `${copy.exportFile.fileStem}.${format}`);
      const url = URL.createObjectURL(new Blob(chunks, { type: res.headers.get("content-type") ?? undefined }));
      const link = document.createElement("a");
      link.href = url;
      link.download = fileName;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ phase: "done", fileName });
    } catch (error) {
      setState({ phase: "failed", message: errorMessage(error) });
    }
  };

  const running = state.phase === "running";
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
          <svg aria-hidden viewBox="0 0 20 20" className={`size-4 text-slate-500 ${running ? "animate-pulse" : ""}`} fill="none" stroke="currentColor" strokeWidth="1.8">
            <path d="M10 3v9m0 0-3.5-3.5M10 12l3.5-3.5M4 14v2h12v-2" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          {copy.desk.export}
        </Button>
      )}
    >
      <div className="px-2 pt-1 pb-2 text-xs text-slate-500">{total === undefined ? copy.desk.exportTitle : copy.desk.exportRows(total)}</div>
      {(["xlsx", "csv"] as const).map((format) => (
        <button
          key={format}
          type="button"
          data-testid={`export-${format}`}
          disabled={running}
          onClick={() => void run(format)}
          className="flex w-full items-center rounded-md px-2 py-1.5 text-left text-[13px] text-slate-700 hover:bg-slate-100 disabled:opacity-50"
        >
          {format === "xlsx" ? copy.desk.exportXlsx : copy.desk.exportCsv}
        </button>
      ))}
      {state.phase === "idle" ? null : (
        <div
          data-testid="export-status"
          data-phase={state.phase}
          role={state.phase === "failed" ? "alert" : "status"}
          className={`mt-1 border-t border-slate-100 px-2 pt-2 text-xs break-all ${state.phase === "failed" ? "text-rose-700" : "text-slate-600"}`}
        >
          {state.phase === "running"
            ? copy.desk.exporting(formatBytes(state.bytes))
            : state.phase === "done"
              ? copy.desk.exportDone(state.fileName)
              : copy.desk.exportFailed(state.message)}
        </div>
      )}
    </Popover>
  );
}
