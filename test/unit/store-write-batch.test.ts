// write-batch.ts: many keys' writes become a few transactions (issue 14: IndexedDB writes batched
// across files), the latest operation per key wins, and every caller hears when its batch is over.

import { describe, expect, it } from 'vitest';
import { WriteBatcher, type BatchOp } from '../../src/store/write-batch.js';

function gatedRun(): { batches: Array<Map<string, BatchOp<number>>>; run: (ops: ReadonlyMap<string, BatchOp<number>>) => Promise<void>; open(): void } {
  const batches: Array<Map<string, BatchOp<number>>> = [];
  let gate: Promise<void> = new Promise(() => undefined);
  let openGate = (): void => undefined;
  const reset = (): void => {
    gate = new Promise<void>((r) => (openGate = r));
  };
  reset();
  return {
    batches,
    run: async (ops) => {
      batches.push(new Map(ops));
      await gate;
    },
    open: () => openGate(),
  };
}

describe('WriteBatcher', () => {
  it('writes a thousand keys put in separate tasks in two transactions, not a thousand', async () => {
    const t = gatedRun();
    const batcher = new WriteBatcher<number>(t.run);
    const first = batcher.put('k0', 0);
    await new Promise((r) => setTimeout(r, 0));
    expect(t.batches).toHaveLength(1); // started at once
    const rest: Promise<void>[] = [];
    for (let i = 1; i < 1000; i++) {
      rest.push(batcher.put(`k${i}`, i));
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 0)); // other tasks in between
    }
    t.open();
    await first;
    await Promise.all(rest);
    expect(t.batches).toHaveLength(2);
    expect(t.batches[1]!.size).toBe(999);
  });

  it('keeps the latest operation per key: a put then a delete is a delete', async () => {
    const t = gatedRun();
    t.open();
    const batcher = new WriteBatcher<number>(t.run);
    void batcher.put('a', 1);
    void batcher.put('b', 1);
    void batcher.put('a', 2);
    await batcher.delete('b');
    expect(t.batches).toHaveLength(1);
    expect([...t.batches[0]!]).toEqual([['a', { kind: 'put', value: 2 }], ['b', { kind: 'delete' }]]);
  });

  it('a failing transaction still lets its callers go on', async () => {
    const batcher = new WriteBatcher<number>(async () => {
      throw new Error('disk full');
    });
    await expect(batcher.put('a', 1)).resolves.toBeUndefined();
  });
});
