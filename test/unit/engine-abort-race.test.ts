// The one helper that lets an AbortSignal (or a timeout) cut a wait short: abort before, during and
// after the work, and no listener or timer left behind.
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { raceAbort, withTimeout } from '../../src/engine/abort-race.js';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

describe('raceAbort', () => {
  it('aborted before: starts nothing, rejects with the mapped reason, still runs onAbort', async () => {
    const start = vi.fn(() => Promise.resolve('never'));
    const onAbort = vi.fn();
    const signal = AbortSignal.abort('why');
    const race = raceAbort(signal, start, { error: (reason) => new Error(`mapped ${String(reason)}`), onAbort });
    await expect(race).rejects.toThrow('mapped why');
    expect(start).not.toHaveBeenCalled();
    expect(onAbort).toHaveBeenCalledTimes(1);
    expect(listeners(signal)).toBe(0);
  });

  it('aborted during: rejects at once with the signal reason while the work still runs, and lets go', async () => {
    const work = deferred<string>();
    const controller = new AbortController();
    const onAbort = vi.fn();
    const race = raceAbort(controller.signal, () => work.promise, { onAbort });
    expect(listeners(controller.signal)).toBe(1);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(race).rejects.toBe(reason);
    expect(onAbort).toHaveBeenCalledTimes(1);
    expect(listeners(controller.signal)).toBe(0);
    // The work failing later is neither reported nor unhandled.
    work.reject(new Error('late'));
    await Promise.resolve();
  });

  it('aborted after: resolves with the value, the listener is gone, a later abort does nothing', async () => {
    const controller = new AbortController();
    const onAbort = vi.fn();
    const race = raceAbort(controller.signal, () => Promise.resolve(42), { onAbort });
    await expect(race).resolves.toBe(42);
    expect(listeners(controller.signal)).toBe(0);
    controller.abort();
    expect(onAbort).not.toHaveBeenCalled();
  });

  it('passes the work failure on as it is and removes the listener', async () => {
    const controller = new AbortController();
    const failure = new Error('work failed');
    await expect(raceAbort(controller.signal, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(listeners(controller.signal)).toBe(0);
  });

  it('sees an abort that start() itself caused', async () => {
    const controller = new AbortController();
    const race = raceAbort(controller.signal, () => {
      controller.abort('inside');
      return new Promise<never>(() => undefined);
    });
    await expect(race).rejects.toBe('inside');
  });

  it('without a signal is the work itself; a throwing start() rejects', async () => {
    await expect(raceAbort(undefined, () => Promise.resolve('v'))).resolves.toBe('v');
    await expect(
      raceAbort(undefined, () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
  });
});

describe('withTimeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rejects with a TimeoutError once the time passes first', async () => {
    vi.useFakeTimers();
    const race = withTimeout(new Promise(() => undefined), 500);
    const seen = race.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(499);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await seen).toMatchObject({ name: 'TimeoutError' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('settles as the promise does when it is first, and clears its timer', async () => {
    vi.useFakeTimers();
    await expect(withTimeout(Promise.resolve('ok'), 500)).resolves.toBe('ok');
    await expect(withTimeout(Promise.reject(new Error('no')), 500)).rejects.toThrow('no');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the caller error when given', async () => {
    vi.useFakeTimers();
    const race = withTimeout(new Promise(() => undefined), 10, () => new Error('custom'));
    const seen = race.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(await seen).toMatchObject({ message: 'custom' });
  });
});
