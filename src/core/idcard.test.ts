import { describe, expect, it } from 'vitest';
import { idNumberChecksum, isValidIdNumber } from './idcard.ts';
import { Rng } from './prng.ts';

describe('idNumberChecksum', () => {
  it('matches the published GB 11643-1999 example', () => {
    expect(idNumberChecksum('11010519491231002')).toBe('X');
  });

  it('computes digit check characters too', () => {
    // Weighted digit sum of 11010119900307777 is 250; 250 mod 11 = 8 → '4'.
    expect(idNumberChecksum('11010119900307777')).toBe('4');
  });

  it('matches the other widely published example', () => {
    expect(idNumberChecksum('44052418800101001')).toBe('4');
  });

  it('satisfies ISO 7064 MOD 11-2 (weights 2^(18-i) mod 11 over all 18 characters sum to 1) for every residue', () => {
    const rng = new Rng('iso7064');
    const checks = new Set<string>();
    for (let n = 0; n < 2000; n++) {
      const first17 = Array.from({ length: 17 }, () => String(rng.int(0, 9))).join('');
      const id = first17 + idNumberChecksum(first17);
      checks.add(id.charAt(17));
      let sum = 0;
      for (let i = 0; i < 18; i++) {
        const value = id.charAt(i) === 'X' ? 10 : Number(id.charAt(i));
        sum += value * (2 ** (17 - i) % 11);
      }
      expect(sum % 11).toBe(1);
    }
    expect(checks.size).toBe(11);
  });

  it('rejects input that is not 17 digits', () => {
    expect(() => idNumberChecksum('1101051949123100')).toThrow();
    expect(() => idNumberChecksum('1101051949123100X')).toThrow();
  });
});

describe('isValidIdNumber', () => {
  it('accepts the published example', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
  });

  it('rejects a wrong check character', () => {
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });

  it('rejects a lower-case x, wrong lengths and letters', () => {
    expect(isValidIdNumber('11010519491231002x')).toBe(false);
    expect(isValidIdNumber('11010519491231002')).toBe(false);
    expect(isValidIdNumber('1101051949123100X2')).toBe(false);
  });

  it('rejects impossible birth dates even with a matching checksum', () => {
    const feb30 = '11010519490230002';
    expect(isValidIdNumber(feb30 + idNumberChecksum(feb30))).toBe(false);
    const feb29NonLeap = '11010519490229002';
    expect(isValidIdNumber(feb29NonLeap + idNumberChecksum(feb29NonLeap))).toBe(false);
    const feb29Leap = '11010519480229002';
    expect(isValidIdNumber(feb29Leap + idNumberChecksum(feb29Leap))).toBe(true);
  });
});

