import "server-only";
import { SYSTEM_FIELD_LABELS } from "@/lib/clues/field-labels";
import { serverEnv } from "@/lib/env";
import { type DictionaryIndex, indexDictionary } from "@/lib/clues/normalize";
import type { Dictionary } from "@/lib/clues/schema";
import { getTagTree, listCustomerFields } from "@/lib/tanma/client";

/**
 * Field dictionary and tag tree, cached in the server process: they change rarely, and fetching them per
 * page would triple the upstream calls. Concurrent loads share one upstream round trip, and once loaded the
 * dictionary is served stale while a refresh runs, so a slow refresh never holds up a page.
 */
const DICTIONARY_TTL_MS = 5 * 60_000;

async function fetchDictionary(): Promise<Dictionary> {
  const [customerFields, tagTree] = await Promise.all([listCustomerFields(), getTagTree()]);
  return {
    // `CLUE_FIELD_LABELS` lets an operator name fields Tanma's dictionary cannot.
    fieldLabels: { ...SYSTEM_FIELD_LABELS, ...serverEnv().CLUE_FIELD_LABELS },
    fields: customerFields.fields.map((f) => ({
      id: String(f.id),
      name: f.name,
      type: f.type,
      items: (f.items ?? []).map((i) => ({ id: String(i.id), name: i.name })),
    })),
    tagGroups: tagTree.map((g) => ({
      id: String(g.id),
      name: g.name,
      qwTagId: g.qwTagId,
      tags: g.tags.map((t) => ({ id: String(t.id), name: t.name, qwTagId: t.qwTagId })),
    })),
  };
}

type Loaded = { dictionary: Dictionary; index: DictionaryIndex; loadedAt: number };

let loaded: Loaded | undefined;
let loading: Promise<Loaded> | undefined;

function refresh(): Promise<Loaded> {
  loading ??= fetchDictionary()
    .then((dictionary) => {
      loaded = { dictionary, index: indexDictionary(dictionary), loadedAt: Date.now() };
      return loaded;
    })
    .finally(() => {
      loading = undefined;
    });
  return loading;
}

export async function loadDictionary(): Promise<Loaded> {
  if (loaded === undefined) return refresh();
  if (Date.now() - loaded.loadedAt > DICTIONARY_TTL_MS) {
    refresh().catch((error: unknown) => {
      console.error(JSON.stringify({ event: "dictionary_refresh_failed", error: String(error) }));
    });
  }
  return loaded;
}
