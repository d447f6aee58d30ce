import { describe, expect, it } from 'vitest';
import { findUnstorableText } from './input.ts';

describe('findUnstorableText', () => {
  it('passes clean text, Chinese, emoji pairs and non-strings', () => {
    expect(findUnstorableText({ a: '莫得水了 😀', b: [1, true, null, { c: '咋个办' }] })).toBeNull();
    expect(findUnstorableText('plain')).toBeNull();
    expect(findUnstorableText(42)).toBeNull();
  });

  it('finds a NUL in a nested value with its path', () => {
    expect(findUnstorableText({ matter: { photos: ['ok', 'bad\u0000'] } })).toEqual({ path: ['matter', 'photos', 1], problem: 'nul' });
  });

  it('finds lone surrogates, high or low, in values and in keys', () => {
    expect(findUnstorableText({ name: 'x\ud800' })).toEqual({ path: ['name'], problem: 'lone_surrogate' });
    expect(findUnstorableText({ name: '\udc00y' })).toEqual({ path: ['name'], problem: 'lone_surrogate' });
    expect(findUnstorableText({ 'k\u0000': 1 })).toEqual({ path: ['k\u0000'], problem: 'nul' });
    expect(findUnstorableText('\ud83d')).toEqual({ path: [], problem: 'lone_surrogate' });
  });

  it('walks deep nesting without overflowing the stack', () => {
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)?.problem).toBe('nul');
  });
});
