"use client";

import type { ReactNode } from "react";
import { fieldItemLabel, statusLabel, tagName, touchLabel } from "@/lib/clues/filter-chips";
import { fieldLabel } from "@/lib/clues/field-labels";
import type { ClueFacetsResponse, Dictionary } from "@/lib/clues/schema";
import { fieldParam } from "@/lib/clues/filter-grammar";
import { type ClueView, type RawClueSearchParams, viewToRaw } from "@/lib/clues/search-params";
import { copy } from "@/lib/copy";

/**
 * The filter panel's content, loaded on demand (it is not in the list's first-load JS): 状态, 跟进, tags by tag group
 * and every select field the store has values for, each value with the leads it would give (the range and
 * the other filters). Values are checkboxes; within a dimension they mean "any of", across dimensions "and".
 */
export default function FilterPanel(props: {
  view: ClueView;
  facets: ClueFacetsResponse;
  dictionary: Dictionary | undefined;
  onChange: (patch: Partial<RawClueSearchParams>) => void;
}) {
  const { view, facets, dictionary, onChange } = props;
  const raw = viewToRaw(view);
  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

  const tagSections = groupTags(facets.tags, view.tags, dictionary);
  const fieldKeys = [...new Set([...Object.keys(facets.fields), ...Object.keys(view.fields)])].sort((a, b) =>
    fieldLabel(a, dictionary).localeCompare(fieldLabel(b, dictionary), "zh-CN"),
  );

  return (
    <div className="flex max-h-[min(70vh,560px)] w-[min(92vw,580px)] flex-col gap-4 overflow-y-auto p-4" data-testid="filter-panel-content">
      <Section title={copy.desk.status} testId="filter-section-status">
        {(["clue", "unassigned"] as const).map((status) => (
          <Option
            key={status}
            testId={`filter-status-${status}`}
            label={statusLabel(status)}
            count={facets.status[status]}
            checked={view.status === status}
            onToggle={() => onChange({ status: view.status === status ? null : status })}
          />
        ))}
      </Section>
      <Section title={copy.desk.touch} testId="filter-section-touch">
        {(["untouched", "touched"] as const).map((touch) => (
          <Option
            key={touch}
            testId={`filter-touch-${touch}`}
            label={touchLabel(touch)}
            count={facets.touch[touch]}
            checked={view.touch === touch}
            onToggle={() => onChange({ touch: view.touch === touch ? null : touch })}
          />
        ))}
      </Section>
      {tagSections.map((section) => (
        <Section key={section.id} title={`${copy.desk.tags} · ${section.name}`} testId="filter-section-tags">
          {section.tags.map((tag) => (
            <Option
              key={tag.id}
              testId={`filter-tag-${tag.id}`}
              label={tag.name}
              count={facets.tags[tag.id] ?? 0}
              checked={view.tags.includes(tag.id)}
              onToggle={() => onChange({ tag: toggle(raw.tag, tag.id) })}
            />
          ))}
        </Section>
      ))}
      {fieldKeys.map((key) => {
        const counts = facets.fields[key] ?? {};
        const selected = view.fields[key] ?? [];
        const items = [...new Set([...Object.keys(counts), ...selected])].sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0));
        return (
          <Section key={key} title={fieldLabel(key, dictionary)} testId={`filter-section-field-${key}`}>
            {items.map((item) => (
              <Option
                key={item}
                testId={`filter-field-${key}-${item}`}
                label={fieldItemLabel(key, item, dictionary)}
                count={counts[item] ?? 0}
                checked={selected.includes(item)}
                onToggle={() => onChange({ field: toggle(raw.field, fieldParam(key, item)) })}
              />
            ))}
          </Section>
        );
      })}
      {tagSections.length === 0 && fieldKeys.length === 0 ? <p className="text-xs text-slate-500">{copy.desk.noValues}</p> : null}
    </div>
  );
}

type TagSection = { id: string; name: string; tags: { id: string; name: string }[] };

/** Tags with leads (and the chosen ones), under their dictionary groups in the dictionary's order; unknown ids last. */
function groupTags(counts: Record<string, number>, chosen: string[], dictionary: Dictionary | undefined): TagSection[] {
  const wanted = new Set([...Object.keys(counts), ...chosen]);
  const sections: TagSection[] = [];
  const placed = new Set<string>();
  for (const group of dictionary?.tagGroups ?? []) {
    const tags = group.tags.filter((t) => wanted.has(t.qwTagId)).map((t) => ({ id: t.qwTagId, name: t.name }));
    tags.forEach((t) => placed.add(t.id));
    if (tags.length > 0) sections.push({ id: group.id, name: group.name, tags });
  }
  const rest = [...wanted].filter((id) => !placed.has(id)).map((id) => ({ id, name: tagName(id, dictionary) }));
  if (rest.length > 0) sections.push({ id: "other", name: copy.desk.otherTags, tags: rest });
  return sections;
}

function Section(props: { title: string; testId: string; children: ReactNode }) {
  return (
    <fieldset data-testid={props.testId} className="flex flex-col gap-1.5">
      <legend className="mb-1.5 text-xs font-medium text-slate-500">{props.title}</legend>
      <div className="flex flex-wrap gap-1.5">{props.children}</div>
    </fieldset>
  );
}

function Option(props: { testId: string; label: string; count: number; checked: boolean; onToggle: () => void }) {
  const { testId, label, count, checked, onToggle } = props;
  return (
    <label
      data-testid={testId}
      data-count={count}
      className={`inline-flex h-7 cursor-pointer items-center gap-1.5 rounded-md border px-2 text-[13px] transition-colors has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-200 ${
        checked ? "border-indigo-300 bg-indigo-50 text-indigo-900" : "border-slate-200 bg-white text-slate-700 hover:border-slate-300 hover:bg-slate-50"
      } ${count === 0 && !checked ? "opacity-60" : ""}`}
    >
      <input type="checkbox" className="sr-only" checked={checked} onChange={onToggle} />
      <span>{label}</span>
      <span className="text-[11px] text-slate-500 tabular-nums">{count.toLocaleString("zh-CN")}</span>
    </label>
  );
}
