/**
 * Tanma's field type codes (from the customer-field dictionary). Free of zod so browser code can use them
 * without pulling in the schema library.
 */
export const FIELD_TYPE = {
  text: 1,
  singleSelect: 2,
  date: 3,
  number: 4,
  multiLineText: 5,
  multiSelect: 6,
  dateTime: 7,
  phone: 8,
} as const;
