/**
 * A field's type as the API answers it (`ClueField.type`): Tanma's dictionary codes, passed through unchanged
 * by normalize.ts. Pages and components read them here, in the domain's vocabulary, and never import Tanma's
 * wire modules; zod-free, so browser code can use them.
 */
export { FIELD_TYPE } from "@/lib/tanma/field-types";
