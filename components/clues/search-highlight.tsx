"use client";

import { createContext, useContext } from "react";
import { type MatchSegment, phoneMatches, textMatches } from "@/lib/clues/search-match";

/** The list's search, for the cells that show what it matched (the rows are memoized; a context reaches them). */
export const SearchTermContext = createContext<string | undefined>(undefined);

/** A cell's text with the search's matches marked: text as the store matches it, or a masked phone number's visible digits. */
export function Highlighted({ text, kind = "text" }: { text: string; kind?: "text" | "phone" }) {
  const q = useContext(SearchTermContext);
  if (q === undefined) return text;
  const segments: MatchSegment[] = kind === "phone" ? phoneMatches(text, q) : textMatches(text, q);
  return segments.map((s, i) =>
    s.match ? (
      <mark key={i} data-testid="search-match" className="rounded-sm bg-amber-200/80 px-px text-inherit">
        {s.text}
      </mark>
    ) : (
      s.text
    ),
  );
}
