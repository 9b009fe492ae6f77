import "server-only";
import { dehydrate, QueryClient } from "@tanstack/react-query";
import { parseFilterParams } from "@/lib/api/filter-query";
import { pageRequest, requestSearcher } from "@/lib/api/request-user";
import { type ClueListFilter, clueListQueryOptions, clueListUrl, dictionaryQueryOptions } from "@/lib/clues/query-options";
import { loadDictionary } from "@/lib/clues/dictionary";
import { type ClueListResponse, clueListQuerySchema } from "@/lib/clues/schema";
import { listClues } from "@/lib/clues/service";

/**
 * The first page of a list and the dictionary, loaded on the server while it renders the page, so the
 * first rows arrive with the HTML instead of after hydration and a second round trip. The queries use the
 * client's own keys and options; only the fetch is the server's direct call (the API's answer, kept serialized
 * for every reader, parsed back). A failure here is left to the
 * client, which fetches again and shows the error state with retry.
 */
export async function prefetchClueList(filter: ClueListFilter) {
  const searcher = await requestSearcher(await pageRequest());
  const queryClient = new QueryClient();
  // The very query string the client sends for its first page, parsed as the route parses it.
  const query = parseFilterParams(new URLSearchParams(clueListUrl(filter, null).split("?")[1]), clueListQuerySchema);
  await Promise.allSettled([
    queryClient.prefetchInfiniteQuery({ ...clueListQueryOptions(filter), queryFn: async () => JSON.parse((await listClues(query, searcher)).text) as ClueListResponse }),
    queryClient.prefetchQuery({ ...dictionaryQueryOptions(), queryFn: async () => (await loadDictionary()).dictionary }),
  ]);
  return dehydrate(queryClient);
}
