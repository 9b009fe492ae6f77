import { maskPhone } from "@/lib/clues/phone";

/**
 * What the search `q` matches, in one place for the store's query (server) and the list's highlighting
 * (browser): text in a lead's name, company name and description; 4 or more digits in the visible digits of a
 * masked number; a whole mobile number its lead (the store through the number's keyed hash).
 */

/** Field keys whose text the search reads, besides the company's name. */
export const SEARCHED_FIELD_KEYS: ReadonlySet<string> = new Set(["name", "corp_name", "description"]);

const PHONE_QUERY_RE = /^[\d\s+\-()]+$/;
const MIN_PHONE_DIGITS = 4;
const MOBILE_RE = /^1\d{10}$/;

/** A number's digits as dialled in China: `+86 138-0013-8000` and `13800138000` are the same number. */
export function phoneDigits(value: string): string {
  const digits = value.replace(/\D/g, "");
  return digits.length === 13 && digits.startsWith("86") ? digits.slice(2) : digits;
}

/** How a search reads as a phone number: digits to find in masked numbers, and a whole mobile number. */
export function phoneSearch(q: string): { digits: string | null; mobile: string | null } {
  if (!PHONE_QUERY_RE.test(q)) return { digits: null, mobile: null };
  const digits = phoneDigits(q);
  return { digits: digits.length >= MIN_PHONE_DIGITS ? digits : null, mobile: MOBILE_RE.test(digits) ? digits : null };
}

/** A piece of a text, and whether the search matched it. */
export type MatchSegment = { text: string; match: boolean };

function split(text: string, ranges: [number, number][]): MatchSegment[] {
  const segments: MatchSegment[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) segments.push({ text: text.slice(at, start), match: false });
    segments.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), match: false });
  return segments;
}

/** Every occurrence of `q` in a text, ignoring case, as the store matches it. */
export function textMatches(text: string, q: string | undefined): MatchSegment[] {
  const needle = q?.toLowerCase() ?? "";
  if (needle === "") return [{ text, match: false }];
  const haystack = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) ranges.push([i, i + needle.length]);
  return split(text, ranges);
}

/**
 * The matched part of masked numbers (`138****5678`, several joined by a separator): the whole number when the
 * search is the full mobile number it masks, else digits found among its visible ones.
 */
export function phoneMatches(masked: string, q: string | undefined): MatchSegment[] {
  const { digits, mobile } = q === undefined ? { digits: null, mobile: null } : phoneSearch(q);
  if (mobile !== null) {
    const whole = textMatches(masked, maskPhone(mobile));
    if (whole.some((s) => s.match)) return whole;
  }
  return textMatches(masked, digits ?? undefined);
}
