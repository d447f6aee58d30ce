// Mainland resident ID numbers (GB 11643-1999): area code + birth date + sequence + ISO 7064 MOD 11-2 check.

const WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The 18th character for the first 17 digits. */
export function idNumberChecksum(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`expected 17 digits, got "${first17}"`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

export function isValidCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC avoids DST surprises.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Format, embedded calendar date and checksum; the check character must be an upper-case X. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1800 || !isValidCalendarDate(year, month, day)) return false;
  return idNumberChecksum(id.slice(0, 17)) === id.charAt(17);
}

/** Birth date embedded in an ID number, as YYYY-MM-DD. */
export function idBirthDate(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** The 17th digit is odd for men, even for women. */
export function idGender(id: string): 'M' | 'F' {
  return (id.charCodeAt(16) - 48) % 2 === 1 ? 'M' : 'F';
}

