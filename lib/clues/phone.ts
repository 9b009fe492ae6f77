/**
 * Phone numbers are personal data: the API hands them out masked (`138****5678`), and the full number only
 * through the audited reveal route.
 */
export function maskPhone(phone: string): string {
  const trimmed = phone.trim();
  if (trimmed.length >= 7) return `${trimmed.slice(0, 3)}****${trimmed.slice(-4)}`;
  return "*".repeat(trimmed.length);
}
