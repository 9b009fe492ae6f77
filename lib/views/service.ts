import "server-only";

/**
 * What the views routes do: list, save, rename and delete an owner's views (the owner from lib/views/owner.ts,
 * the input checked by lib/views/schema.ts). The store does each in one statement for that owner, so the
 * service is the store's own functions; routes call them here and never the store.
 */
export { createView, deleteView, forgetEveryView, listViews, renameView } from "@/lib/views/store/views";
