import { describe, expect, it } from 'vitest';
import { isPublicCode, NEUTRAL_TITLE, normalizePublicCode, PUBLIC_CODE_ALPHABET, PUBLIC_CODE_SYMBOLS, publicText, publicTitle } from './public.ts';

describe('public codes', () => {
  it('carry at least 80 bits in an alphabet without look-alikes', () => {
    expect(PUBLIC_CODE_ALPHABET).toHaveLength(32);
    expect(new Set(PUBLIC_CODE_ALPHABET).size).toBe(32);
    expect(PUBLIC_CODE_ALPHABET).not.toMatch(/[ILOU]/);
    expect(PUBLIC_CODE_SYMBOLS * Math.log2(PUBLIC_CODE_ALPHABET.length)).toBeGreaterThanOrEqual(80);
  });

  it('are read as typed or spoken: any case, spaces or no hyphens, O for 0, I and L for 1', () => {
    expect(normalizePublicCode('7K3M-Q9XA-R2TB-H8WC')).toBe('7K3M-Q9XA-R2TB-H8WC');
    expect(normalizePublicCode('7k3mq9xar2tbh8wc')).toBe('7K3M-Q9XA-R2TB-H8WC');
    expect(normalizePublicCode(' 7K3M Q9XA R2TB H8WC ')).toBe('7K3M-Q9XA-R2TB-H8WC');
    expect(normalizePublicCode('O1LI-0000-0000-0000')).toBe('0111-0000-0000-0000');
  });

  it('refuse anything else', () => {
    for (const bad of ['', '7K3M-Q9XA-R2TB', '7K3M-Q9XA-R2TB-H8WC-0', 'UK3M-Q9XA-R2TB-H8WC', '7K3M-Q9XA-R2TB-H8W#', '７K3M-Q9XA-R2TB-H8WC', '7K3M-Q9XA-R2TB-H8W\u0000']) {
      expect(normalizePublicCode(bad)).toBeNull();
    }
    expect(isPublicCode('7K3M-Q9XA-R2TB-H8WC')).toBe(true);
    expect(isPublicCode('7k3m-q9xa-r2tb-h8wc')).toBe(false);
    expect(isPublicCode('SJ20261121-000042')).toBe(false);
  });
});

describe('the public title', () => {
  it('is staff\'s title, masked; else the category; else a neutral title', () => {
    expect(publicTitle({ title: '3栋楼道灯不亮，联系人：刘德明', titlePublic: true }, '路灯损坏')).toBe('3栋楼道灯不亮，联系人：***');
    expect(publicTitle({ title: '我是张三，电话13812345678', titlePublic: false }, '路灯损坏')).toBe('路灯损坏');
    expect(publicTitle({ title: '我是张三，电话13812345678', titlePublic: false }, null)).toBe(NEUTRAL_TITLE);
  });

  it('masks public free text and keeps null', () => {
    expect(publicText('已更换灯泡，我是网格员，有事打023-68861234')).toBe('已更换灯泡，我是网格员，有事打***-********');
    expect(publicText(null)).toBeNull();
  });
});
