import { idNumberChecksum } from '../idcard.ts';
import type { Rng } from '../prng.ts';

/** A fresh ID number not yet in `used` (which it updates); birthDate is YYYY-MM-DD. */
export function makeIdNumber(
  areaCode: string,
  birthDate: string,
  gender: 'M' | 'F',
  rng: Rng,
  used: Set<string>,
): string {
  if (!/^\d{6}$/.test(areaCode)) throw new Error(`area code must be 6 digits, got "${areaCode}"`);
  const dateDigits = birthDate.replaceAll('-', '');
  // Sequence 000–999 with its last digit's parity fixed by gender: 500 slots per date and gender.
  const candidate = (slot: number): string => {
    const first17 = `${areaCode}${dateDigits}${String(slot * 2 + (gender === 'M' ? 1 : 0)).padStart(3, '0')}`;
    return first17 + idNumberChecksum(first17);
  };
  // Random slots look natural; the scan afterwards guarantees a free slot is found when one exists.
  const start = rng.int(0, 499);
  const slots = [...Array.from({ length: 20 }, () => rng.int(0, 499)), ...Array.from({ length: 500 }, (_, i) => (start + i) % 500)];
  for (const slot of slots) {
    const id = candidate(slot);
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
  throw new Error(`no free ID sequence left for ${areaCode} ${birthDate} ${gender}`);
}
