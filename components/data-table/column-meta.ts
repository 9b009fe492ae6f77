import type { RowData } from "@tanstack/react-table";

/**
 * The one place `ColumnMeta` is extended (declaration merging), so a column's label, header test key, width
 * hints and alignment live with its definition (components/clues/clue-columns.tsx).
 */
declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a merged declaration repeats TanStack's type parameters, used or not
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Human label, shown in the header and the column menu. */
    label: string;
    /** `data-testid="column-header-<testKey>"`; field columns use the raw field key. */
    testKey: string;
    /** Right-align numbers. */
    align?: "start" | "end";
    /** Which group the column menu lists it under. */
    group?: "fixed" | "field";
    /** Columns that cannot be hidden. */
    alwaysVisible?: boolean;
  }
}

export {};
