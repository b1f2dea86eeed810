// The timer worker's page side (src/timers/worker-timers.ts) with a scripted fake worker and fake
// page timers: each timer fires once, whichever of worker and backstop comes first; cancel reaches
// both; a worker that fails or cannot start leaves the time to the page's timers; the worker ends
// after its idle time and not while a timer is pending. Plus clock.ts's abortable sleep.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { plainTimer, sleepOn } from '../../src/engine/clock.js';
import type { TimerRequest } from '../../src/timers/messages.js';
import { WorkerTimers, type TimerWorker } from '../../src/timers/worker-timers.js';

class FakeWorker implements TimerWorker {
  readonly sent: TimerRequest[] = [];
  terminated = false;
  onmessage: TimerWorker['onmessage'] = null;
  onerror: TimerWorker['onerror'] = null;
  postMessage(message: TimerRequest): void {
    this.sent.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** The worker's timer `id` fired. */
  fire(id: number): void {
    this.onmessage?.({ data: { id } } as MessageEvent<{ id: number }>);
  }
  fail(): void {
    this.onerror?.({ preventDefault() {} } as ErrorEvent);
  }
  setIds(): number[] {
    return this.sent.flatMap((m) => (m.type === 'set' ? [m.id] : []));
  }
}

describe('WorkerTimers', () => {
  let workers: FakeWorker[];
  const timers = (options: { idleMs?: number; throws?: boolean } = {}) =>
    new WorkerTimers({
      idleMs: options.idleMs ?? 1000,
      fallback: plainTimer,
      createWorker: () => {
        if (options.throws) throw new DOMException('blocked by CSP', 'SecurityError');
        const w = new FakeWorker();
        workers.push(w);
        return w;
      },
    });

  beforeEach(() => {
    workers = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('fires when the worker says so, once: the page backstop is cancelled', () => {
    const t = timers();
    const fire = vi.fn();
    t.schedule(fire, 5000);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.sent).toEqual([{ type: 'set', id: 1, ms: 5000 }]);
    workers[0]!.fire(1);
    expect(fire).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    workers[0]!.fire(1); // a late duplicate changes nothing
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('a worker that never answers: the page timer fires, and the worker is told to drop its own', () => {
    const t = timers();
    const fire = vi.fn();
    t.schedule(fire, 300);
    vi.advanceTimersByTime(299);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(1);
    expect(workers[0]!.sent.at(-1)).toEqual({ type: 'clear', id: 1 });
    workers[0]!.fire(1);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('cancel stops both timers', () => {
    const t = timers();
    const fire = vi.fn();
    const cancel = t.schedule(fire, 300);
    cancel();
    expect(workers[0]!.sent.at(-1)).toEqual({ type: 'clear', id: 1 });
    workers[0]!.fire(1);
    vi.advanceTimersByTime(1000);
    expect(fire).not.toHaveBeenCalled();
  });

  it('after a worker error, pending and later timers run on the page, and no worker is made again', () => {
    const t = timers();
    const pending = vi.fn();
    t.schedule(pending, 200);
    workers[0]!.fail();
    expect(workers[0]!.terminated).toBe(true);
    expect(t.workerRunning).toBe(false);
    const later = vi.fn();
    t.schedule(later, 100);
    expect(workers).toHaveLength(1);
    vi.advanceTimersByTime(200);
    expect(pending).toHaveBeenCalledTimes(1);
    expect(later).toHaveBeenCalledTimes(1);
  });

  it('a worker that cannot be constructed (CSP): plain timers', () => {
    const t = timers({ throws: true });
    const fire = vi.fn();
    t.schedule(fire, 50);
    expect(t.workerRunning).toBe(false);
    vi.advanceTimersByTime(50);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('the worker ends idleMs after the last timer, not while one is pending, and comes back for the next', () => {
    const t = timers({ idleMs: 1000 });
    const cancelLong = t.schedule(() => undefined, 60_000);
    t.schedule(() => undefined, 10);
    workers[0]!.fire(2);
    vi.advanceTimersByTime(5000);
    expect(t.workerRunning).toBe(true); // the 60 s timer is pending
    cancelLong();
    vi.advanceTimersByTime(999);
    expect(t.workerRunning).toBe(true);
    vi.advanceTimersByTime(1);
    expect(t.workerRunning).toBe(false);
    expect(workers[0]!.terminated).toBe(true);
    t.schedule(() => undefined, 10);
    expect(workers).toHaveLength(2);
    expect(t.workerRunning).toBe(true);
  });

  it('a timer scheduled during the idle wait keeps the worker', () => {
    const t = timers({ idleMs: 1000 });
    t.schedule(() => undefined, 10);
    workers[0]!.fire(1);
    vi.advanceTimersByTime(500);
    t.schedule(() => undefined, 5000);
    vi.advanceTimersByTime(1000);
    expect(t.workerRunning).toBe(true);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.setIds()).toEqual([1, 2]);
  });
});

describe('sleepOn', () => {
  it('resolves when the timer fires and cancels it on abort', async () => {
    const cancels: number[] = [];
    let fire: (() => void) | undefined;
    const sleep = sleepOn((f, ms) => {
      fire = f;
      return () => cancels.push(ms);
    });
    const done = sleep(100);
    fire!();
    await expect(done).resolves.toBeUndefined();

    const controller = new AbortController();
    const aborted = sleep(200, controller.signal);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(cancels).toEqual([200]);
  });
});
