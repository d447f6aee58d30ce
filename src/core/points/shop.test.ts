import { describe, expect, it } from 'vitest';
import { codeFrom, isOpenAt, qrPayload } from './shop.ts';

const beijing = (hhmm: string) => new Date(`2026-12-03T${hhmm}:00+08:00`);

describe('the merchant alliance rules', () => {
  it('knows when a shop is open, across midnight too', () => {
    expect(isOpenAt('08:00', '21:00', beijing('07:59'))).toBe(false);
    expect(isOpenAt('08:00', '21:00', beijing('08:00'))).toBe(true);
    expect(isOpenAt('08:00', '21:00', beijing('20:59'))).toBe(true);
    expect(isOpenAt('08:00', '21:00', beijing('21:00'))).toBe(false);
    expect(isOpenAt('18:00', '02:00', beijing('23:30'))).toBe(true);
    expect(isOpenAt('18:00', '02:00', beijing('01:59'))).toBe(true);
    expect(isOpenAt('18:00', '02:00', beijing('12:00'))).toBe(false);
    expect(isOpenAt('00:00', '00:00', beijing('03:00'))).toBe(true);
  });

  it('reads a code from a scan or from typing, and nothing else', () => {
    expect(codeFrom(qrPayload('12345678'))).toBe('12345678');
    expect(codeFrom(' 1234 5678 ')).toBe('12345678');
    expect(codeFrom('1234-5678')).toBe('12345678');
    expect(codeFrom('1234567')).toBeNull();
    expect(codeFrom('https://example.com/12345678')).toBeNull();
    expect(codeFrom('DGPT:abc')).toBeNull();
  });
});
