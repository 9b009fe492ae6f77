/**
 * Phone numbers are personal data: the API hands them out masked (`138****5678`), and the full number only
 * through the audited reveal route.
 */
export function maskPhone(phone: string): string {
  const trimmed = phone.trim();
  if (trimmed.length >= 7) return `${trimmed.slice(0, 3)}****${trimmed.slice(-4)}`;
  return "*".repeat(trimmed.length);
}

const MIN_PHONE_DIGITS_TO_MASK = 7;

/** A text that may hold a phone number (a search, for a log line): digits past the first 3 and before the last 4 masked. */
export function maskPhoneDigits(text: string): string {
  const digits = text.replace(/\D/g, "").length;
  if (digits < MIN_PHONE_DIGITS_TO_MASK) return text;
  let position = 0;
  return text.replace(/\d/g, (digit) => {
    const masked = position >= 3 && position < digits - 4;
    position++;
    return masked ? "*" : digit;
  });
}
