import "server-only";
import { dehydrate, QueryClient } from "@tanstack/react-query";
import { type ClueListFilter, clueListQueryOptions, dictionaryQueryOptions } from "@/app/clues/query-options";
import { pageCaller } from "@/lib/api/request-user";
import { loadDictionary } from "@/lib/clues/dictionary";
import { clueListQuerySchema } from "@/lib/clues/schema";
import { listClues } from "@/lib/clues/service";

/**
 * The first page of a list and the dictionary, loaded on the server while it renders the page, so the
 * first rows arrive with the HTML instead of after hydration and a second round trip. The queries use the
 * client's own keys and options; only the fetch is the server's direct call. A failure here is left to the
 * client, which fetches again and shows the error state with retry.
 */
export async function prefetchClueList(filter: ClueListFilter) {
  const queryClient = new QueryClient();
  const query = clueListQuerySchema.parse({
    since: filter.since,
    before: filter.before,
    ...(filter.type === undefined ? {} : { type: String(filter.type) }),
    ...(filter.companyId === undefined ? {} : { companyId: filter.companyId }),
  });
  const caller = await pageCaller();
  await Promise.allSettled([
    queryClient.prefetchInfiniteQuery({ ...clueListQueryOptions(filter), queryFn: () => listClues(query, caller) }),
    queryClient.prefetchQuery({ ...dictionaryQueryOptions(), queryFn: async () => (await loadDictionary()).dictionary }),
  ]);
  return dehydrate(queryClient);
}
