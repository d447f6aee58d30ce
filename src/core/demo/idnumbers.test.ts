import { describe, expect, it } from 'vitest';
import { idBirthDate, idGender, isValidIdNumber } from '../idcard.ts';
import { makeIdNumber } from './idnumbers.ts';
import { Rng } from '../prng.ts';

describe('makeIdNumber', () => {
  it('embeds area, birth date and gender and never repeats', () => {
    const rng = new Rng(1);
    const used = new Set<string>();
    const ids = Array.from({ length: 400 }, (_, i) =>
      makeIdNumber('610111', '1980-02-29', i % 2 === 0 ? 'M' : 'F', rng, used),
    );
    expect(new Set(ids).size).toBe(400);
    ids.forEach((id, i) => {
      expect(isValidIdNumber(id)).toBe(true);
      expect(id.startsWith('610111')).toBe(true);
      expect(idBirthDate(id)).toBe('1980-02-29');
      expect(idGender(id)).toBe(i % 2 === 0 ? 'M' : 'F');
    });
  });

  it('throws once all 500 sequences for a date and gender are used', () => {
    const rng = new Rng(2);
    const used = new Set<string>();
    for (let i = 0; i < 500; i++) makeIdNumber('610111', '2000-01-01', 'F', rng, used);
    expect(() => makeIdNumber('610111', '2000-01-01', 'F', rng, used)).toThrow();
  });
});
