import { z } from "zod";

/**
 * The upstream's wire shapes, as far as `shared/upstream/tanma-openapi.md` knows them. The client validates
 * every response against these; the simulator produces them. Unknown extra keys are tolerated (stripped).
 */

export const TANMA_PATHS = {
  clueList: "/api/v3/clue/list-by-create-time-asc",
  clueGet: "/api/v3/clue/get",
  clueFollowUps: "/api/v3/clue/list-follow-up",
  tagTree: "/api/v3/tags/list-tree",
  customerFields: "/api/v2/customer/list-fields",
} as const;

export const envelopeSchema = z.object({
  code: z.number().int(),
  message: z.string().nullish(),
  data: z.unknown(),
});
export type Envelope = z.infer<typeof envelopeSchema>;


export const upstreamFieldSchema = z.object({
  field: z.string(),
  type: z.number().int(),
  valueAsText: z.string().nullable(),
});
export type UpstreamField = z.infer<typeof upstreamFieldSchema>;

export const upstreamClueSchema = z.object({
  customerId: z.number().int().nonnegative(),
  isClue: z.boolean(),
  type: z.number().int(),
  fields: z.array(upstreamFieldSchema),
  tagIds: z.array(z.string()).nullish().transform((ids) => ids ?? []),
  createTime: z.string(),
  lastUpdateTime: z.string(),
  companyInfo: z.object({ id: z.number().int(), name: z.string() }).nullish(),
});
export type UpstreamClue = z.input<typeof upstreamClueSchema>;

export const upstreamClueDetailSchema = upstreamClueSchema.extend({
  convertCustomerTime: z.string().nullish(),
});
export type UpstreamClueDetail = z.input<typeof upstreamClueDetailSchema>;

export const upstreamCluePageSchema = z.object({
  list: z.array(upstreamClueSchema),
  nextCursor: z.string().nullish(),
});

export const upstreamFollowUpSchema = z.object({
  id: z.union([z.number().int(), z.string()]),
  type: z.number().int(),
  content: z.string().nullable(),
  createTime: z.string(),
  operator: z.object({ qwUserId: z.string(), name: z.string() }).nullish(),
});
export type UpstreamFollowUp = z.input<typeof upstreamFollowUpSchema>;

export const upstreamFollowUpPageSchema = z.object({
  list: z.array(upstreamFollowUpSchema),
  nextCursor: z.string().nullish(),
});

const upstreamTagSchema = z.object({ id: z.union([z.number(), z.string()]), name: z.string(), qwTagId: z.string() });
export const upstreamTagTreeSchema = z.array(upstreamTagSchema.extend({ tags: z.array(upstreamTagSchema) }));
export type UpstreamTagGroup = z.input<typeof upstreamTagTreeSchema>[number];

export const upstreamCustomerFieldsSchema = z.object({
  fields: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      type: z.number().int(),
      items: z.array(z.object({ id: z.number().int(), name: z.string() })).nullish(),
      outerField: z.unknown().optional(),
      stable: z.unknown().optional(),
      customerImportRequired: z.unknown().optional(),
    }),
  ),
});
export type UpstreamCustomerField = z.input<typeof upstreamCustomerFieldsSchema>["fields"][number];

/** Request bodies, as the client sends them and the simulator checks them. */
export type ClueListBody = { since: string; before: string; size: number; cursor?: string; type?: 1 | 2 };
export type ClueGetBody = { customerId: number };
export type FollowUpListBody = { customerId: number; size: number; type?: number; cursor?: string };
