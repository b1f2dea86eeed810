// WriteCoalescer: at most one write in flight per key, latest value wins, one write per interval,
// flush() and put(..., true) write at once, drop() forgets a pending value (a delete must not be undone by a late put).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WriteCoalescer } from '../../src/store/write-coalescer.js';

function recorder(writeMs = 5) {
  const writes: Array<[string, number]> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = async (key: string, value: number): Promise<void> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, writeMs));
    writes.push([key, value]);
    inFlight--;
  };
  return { writes, write, maxInFlight: () => maxInFlight };
}

describe('WriteCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the first value at once, then at most once per interval with the latest value', async () => {
    const r = recorder();
    const c = new WriteCoalescer({ write: r.write, minIntervalMs: 250 });
    const first = c.put('k', 1);
    for (let i = 2; i <= 40; i++) {
      void c.put('k', i); // 20 puts a second for 2 s
      await vi.advanceTimersByTimeAsync(50);
    }
    await first;
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.writes[0]).toEqual(['k', 1]);
    expect(r.writes.at(-1)).toEqual(['k', 40]);
    expect(r.writes.length).toBeLessThanOrEqual(1 + Math.ceil(2000 / 250) + 1);
    expect(r.writes.length).toBeGreaterThanOrEqual(Math.floor(2000 / 250));
    expect(r.maxInFlight()).toBe(1);
  });

  it('resolves each put once its value or a newer one is written', async () => {
    const r = recorder();
    const c = new WriteCoalescer({ write: r.write, minIntervalMs: 250 });
    void c.put('k', 1);
    let resolved = false;
    void c.put('k', 2).then(() => (resolved = true));
    void c.put('k', 3);
    await vi.advanceTimersByTimeAsync(100);
    expect(resolved).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(resolved).toBe(true);
    expect(r.writes).toEqual([
      ['k', 1],
      ['k', 3],
    ]);
  });

  it('keeps keys independent', async () => {
    const r = recorder();
    const c = new WriteCoalescer({ write: r.write, minIntervalMs: 250 });
    void c.put('a', 1);
    void c.put('b', 1);
    await vi.advanceTimersByTimeAsync(10);
    expect(r.writes.map(([k]) => k).sort()).toEqual(['a', 'b']);
  });

  it('flush() writes pending values without waiting for the interval', async () => {
    const r = recorder();
    const c = new WriteCoalescer({ write: r.write, minIntervalMs: 10_000 });
    void c.put('k', 1);
    await vi.advanceTimersByTimeAsync(10);
    void c.put('k', 2);
    const flushed = c.flush();
    await vi.advanceTimersByTimeAsync(10);
    await flushed;
    expect(r.writes).toEqual([
      ['k', 1],
      ['k', 2],
    ]);
  });

  it('flush(key) writes that key now and waits for no other key (a read of one stored session)', async () => {
    const r = recorder(50);
    const c = new WriteCoalescer({ write: r.write, minIntervalMs: 10_000 });
    void c.put('a', 1);
    void c.put('b', 1);
    await vi.advanceTimersByTimeAsync(60);
    void c.put('a', 2);
    void c.put('b', 2);
    let unknownDone = false;
    void c.flush('new').then(() => (unknownDone = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(unknownDone).toBe(true); // a key with nothing pending answers at once
    const flushed = c.flush('a');
    await vi.advanceTimersByTimeAsync(60);
    await flushed;
    expect(r.writes).toEqual([['a', 1], ['b', 1], ['a', 2]]); // b's second value still waits for its interval
  });

  it('put(key, value, true) writes that value without the interval wait; later puts wait again', async () => {
    const r = recorder();
    const c = new WriteCoalescer({ write: r.write, minIntervalMs: 10_000 });
    void c.put('k', 1);
    await vi.advanceTimersByTimeAsync(10);
    void c.put('k', 2); // within the interval: waits
    await vi.advanceTimersByTimeAsync(10);
    expect(r.writes).toEqual([['k', 1]]);
    void c.put('k', 3, true); // supersedes 2, and goes now
    await vi.advanceTimersByTimeAsync(10);
    expect(r.writes).toEqual([
      ['k', 1],
      ['k', 3],
    ]);
    void c.put('k', 4);
    await vi.advanceTimersByTimeAsync(100);
    expect(r.writes.length).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(r.writes.at(-1)).toEqual(['k', 4]);
  });

  it('put(key, value, true) during a write in flight writes right after it', async () => {
    const r = recorder(50);
    const c = new WriteCoalescer({ write: r.write, minIntervalMs: 10_000 });
    void c.put('k', 1);
    await vi.advanceTimersByTimeAsync(10); // 1 in flight
    void c.put('k', 2, true);
    await vi.advanceTimersByTimeAsync(45); // 1 done at 50
    expect(r.writes).toEqual([['k', 1]]);
    await vi.advanceTimersByTimeAsync(55); // 2 written by 100, not after 10 s
    expect(r.writes).toEqual([
      ['k', 1],
      ['k', 2],
    ]);
    expect(r.maxInFlight()).toBe(1);
  });

  it('drop() forgets the pending value and waits for the write in flight', async () => {
    const r = recorder();
    const c = new WriteCoalescer({ write: r.write, minIntervalMs: 250 });
    void c.put('k', 1);
    void c.put('k', 2);
    const dropped = c.drop('k');
    await vi.advanceTimersByTimeAsync(1000);
    await dropped;
    expect(r.writes).toEqual([['k', 1]]);
  });

  it('survives a failing write and goes on with the next value', async () => {
    const writes: number[] = [];
    const c = new WriteCoalescer<number>({
      write: async (_k, v) => {
        if (v === 1) throw new Error('disk full');
        writes.push(v);
      },
      minIntervalMs: 0,
    });
    await c.put('k', 1);
    await c.put('k', 2);
    expect(writes).toEqual([2]);
  });

  it('waits out the interval on the injected timer (the timer worker in browsers), not on setTimeout', async () => {
    const r = recorder(0);
    const armed: Array<{ ms: number; fire: () => void }> = [];
    const c = new WriteCoalescer({ write: r.write, minIntervalMs: 250, schedule: (fire, ms) => (armed.push({ ms, fire }), () => undefined) });
    void c.put('k', 1);
    await vi.advanceTimersByTimeAsync(1);
    const second = c.put('k', 2);
    await vi.advanceTimersByTimeAsync(10_000); // page timers alone never write the second value
    expect(r.writes).toEqual([['k', 1]]);
    expect(armed).toHaveLength(1);
    expect(armed[0]!.ms).toBeGreaterThan(0);
    expect(armed[0]!.ms).toBeLessThanOrEqual(250);
    armed[0]!.fire();
    await vi.advanceTimersByTimeAsync(1);
    await second;
    expect(r.writes).toEqual([['k', 1], ['k', 2]]);
  });
});
