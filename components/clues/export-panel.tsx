"use client";

import { errorMessage, responseError } from "@/lib/clues/api-client";
import { type ClueListFilter, clueExportUrl } from "@/lib/clues/query-options";
import type { ExportFormat } from "@/lib/clues/schema";
import { copy } from "@/lib/copy";
import type { ExportState } from "@/components/clues/export-menu";

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
 * The export menu's content, loaded when the menu first opens: every lead of the current view (not only the
 * loaded rows) as Excel or CSV, fetched as a stream so the menu shows how much has arrived, then handed to
 * the browser under the server's file name. The state lives in the menu, so a download keeps its status
 * when the menu closes.
 */
export default function ExportPanel(props: {
  filter: ClueListFilter;
  total: number | undefined;
  state: ExportState;
  setState: (state: ExportState) => void;
}) {
  const { filter, total, state, setState } = props;
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
    <>
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
    </>
  );
}
