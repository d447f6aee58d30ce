import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './batcher.ts';

describe('MicroBatcher', () => {
  it('settles each request with its own rows, in order, from one flush', async () => {
    const flushes: string[][] = [];
    const b = new MicroBatcher<string, string>(async (rows) => { flushes.push(rows); return rows.map((r) => r.toUpperCase()); }, { maxWaitMs: 5, maxRows: 100 });
    const [x, y] = await Promise.all([b.add(['a', 'b']), b.add(['c'])]);
    expect(x).toEqual(['A', 'B']);
    expect(y).toEqual(['C']);
    expect(flushes).toEqual([['a', 'b', 'c']]);
  });

  it('fails only the request the flush refuses: the others are flushed again alone and succeed', async () => {
    const committed: string[] = [];
    const b = new MicroBatcher<string, string>(async (rows) => {
      if (rows.includes('poison')) throw new Error('22021 invalid byte sequence');
      committed.push(...rows);
      return rows;
    }, { maxWaitMs: 5, maxRows: 1000 });
    const requests = Array.from({ length: 30 }, (_, i) => (i === 13 ? ['poison'] : [`m${i}`, `n${i}`]));
    const settled = await Promise.allSettled(requests.map((rows) => b.add(rows)));
    expect(settled.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(settled[13]?.status).toBe('rejected');
    expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(29);
    expect(committed.sort()).toEqual(requests.filter((_, i) => i !== 13).flat().sort());
  });

  it('passes a lone request its own error', async () => {
    const b = new MicroBatcher<string, string>(async () => { throw new Error('down'); }, { maxWaitMs: 1, maxRows: 10 });
    await expect(b.add(['x'])).rejects.toThrow('down');
  });
});
