import { handleApiRoute, json } from "@/lib/api/respond";
import { loadDictionary } from "@/lib/clues/dictionary";

export const GET = handleApiRoute("/api/dictionary", async () => json((await loadDictionary()).dictionary));
