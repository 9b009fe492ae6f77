"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/button";
import { MAX_VIEW_NAME_LENGTH } from "@/lib/clues/limits";
import { deleteResource, errorMessage, patchJson, postJson } from "@/lib/clues/api-client";
import { clueKeys, savedViewsQueryOptions } from "@/lib/clues/query-options";
import { type ClueView, filtersQueryString } from "@/lib/clues/search-params";
import { copy } from "@/lib/copy";
import type { SavedView } from "@/lib/views/schema";

const viewPath = (id: string) => `/api/views/${encodeURIComponent(id)}`;

/**
 * The saved views menu's content, loaded when the menu first opens: the caller's views, each a link (the
 * current range with the view's filters); the current filters saved under a name; rename, and delete on a
 * second click.
 */
export default function SavedViewsPanel({ view, onPick }: { view: ClueView; onPick: () => void }) {
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const views = useQuery(savedViewsQueryOptions());
  const current = filtersQueryString(view);
  const [name, setName] = useState("");
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const settle = () => void queryClient.invalidateQueries({ queryKey: clueKeys.views() });
  const save = useMutation({
    mutationFn: (input: { name: string; query: string }) => postJson<SavedView>("/api/views", input),
    onSuccess: () => setName(""),
    onSettled: settle,
  });
  const rename = useMutation({
    mutationFn: (input: { id: string; name: string }) => patchJson<SavedView>(viewPath(input.id), { name: input.name }),
    onSuccess: () => setRenaming(null),
    onSettled: settle,
  });
  const remove = useMutation({ mutationFn: (id: string) => deleteResource(viewPath(id)), onSettled: settle });
  const failure = save.error ?? rename.error ?? remove.error;

  const href = (saved: SavedView) => `${pathname}?since=${view.since}&before=${view.before}${saved.query === "" ? "" : `&${saved.query}`}`;
  const onSave = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() !== "") save.mutate({ name: name.trim(), query: current });
  };

  return (
    <>
      <div className="px-2 pt-1 pb-1.5 text-xs font-medium text-slate-500">{copy.desk.viewsTitle}</div>
      {views.isError ? (
        <p role="alert" className="px-2 py-1 text-xs text-rose-700">
          {copy.desk.viewsError}：{errorMessage(views.error)}
        </p>
      ) : views.data === undefined ? (
        <p className="px-2 py-1 text-xs text-slate-500">{copy.list.loading}</p>
      ) : views.data.views.length === 0 ? (
        <p className="px-2 py-1 text-xs text-slate-500">{copy.desk.noViews}</p>
      ) : (
        <ul className="flex max-h-72 flex-col overflow-y-auto" data-testid="views-list">
          {views.data.views.map((saved) => (
            <li key={saved.id} data-testid="saved-view" data-name={saved.name} className="group flex items-center gap-1 rounded-md px-1 hover:bg-slate-50">
              {renaming?.id === saved.id ? (
                <form
                  className="flex flex-1 items-center gap-1 py-1"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (renaming.name.trim() !== "") rename.mutate({ id: saved.id, name: renaming.name.trim() });
                  }}
                >
                  <input
                    autoFocus
                    aria-label={copy.desk.renameLabel(saved.name)}
                    data-testid="rename-input"
                    maxLength={MAX_VIEW_NAME_LENGTH}
                    value={renaming.name}
                    onChange={(e) => setRenaming({ id: saved.id, name: e.target.value })}
                    className="h-7 min-w-0 flex-1 rounded border border-slate-300 px-2 text-[13px] outline-none focus:border-indigo-400"
                  />
                  <Button size="sm" type="submit" data-testid="rename-save">
                    {copy.desk.save}
                  </Button>
                  <Button size="sm" onClick={() => setRenaming(null)}>
                    {copy.desk.cancel}
                  </Button>
                </form>
              ) : (
                <>
                  <Link
                    href={href(saved)}
                    data-testid="saved-view-link"
                    onClick={onPick}
                    className="flex min-w-0 flex-1 items-center gap-1.5 py-1.5 pl-1 text-[13px] text-slate-800"
                  >
                    <span aria-hidden className={`w-3 text-indigo-600 ${saved.query === current ? "" : "invisible"}`}>
                      ✓
                    </span>
                    <span className="truncate">{saved.name}</span>
                    {saved.query === current ? <span className="sr-only">{copy.desk.currentView}</span> : null}
                  </Link>
                  <button
                    type="button"
                    aria-label={copy.desk.renameLabel(saved.name)}
                    data-testid="rename-view"
                    onClick={() => setRenaming({ id: saved.id, name: saved.name })}
                    className="rounded px-1.5 py-0.5 text-xs text-slate-500 opacity-0 group-hover:opacity-100 hover:bg-slate-200 hover:text-slate-800 focus:opacity-100"
                  >
                    {copy.desk.rename}
                  </button>
                  <button
                    type="button"
                    aria-label={copy.desk.deleteLabel(saved.name)}
                    data-testid="delete-view"
                    onClick={() => {
                      if (confirming === saved.id) remove.mutate(saved.id);
                      else setConfirming(saved.id);
                    }}
                    onBlur={() => setConfirming(null)}
                    className={`rounded px-1.5 py-0.5 text-xs focus:opacity-100 ${
                      confirming === saved.id
                        ? "bg-rose-600 text-white opacity-100"
                        : "text-slate-500 opacity-0 group-hover:opacity-100 hover:bg-rose-50 hover:text-rose-700"
                    }`}
                  >
                    {confirming === saved.id ? copy.desk.confirmDelete : copy.desk.delete}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={onSave} className="mt-2 flex items-center gap-1.5 border-t border-slate-100 px-1 pt-2">
        <input
          aria-label={copy.desk.saveView}
          data-testid="view-name-input"
          placeholder={copy.desk.saveViewPlaceholder}
          maxLength={MAX_VIEW_NAME_LENGTH}
          value={name}
          onChange={(e) => setName(e.target.value)}
          className="h-8 min-w-0 flex-1 rounded-md border border-slate-300 px-2 text-[13px] outline-none placeholder:text-slate-400 focus:border-indigo-400 focus:ring-2 focus:ring-indigo-100"
        />
        <Button size="toolbar" type="submit" data-testid="save-view" disabled={save.isPending || name.trim() === ""} className="text-[13px]">
          {copy.desk.saveView}
        </Button>
      </form>
      {failure ? (
        <p role="alert" data-testid="views-error" className="px-2 pt-1.5 text-xs text-rose-700">
          {errorMessage(failure)}
        </p>
      ) : null}
    </>
  );
}
