// The queue's controls and surroundings: pause/resume/cancel with requests in flight, offline and
// online, cross-tab locks, a failing store, remove/clear/dispose.
import { describe, expect, it } from 'vitest';
import { flush } from './fakes/clock.js';
import { networkError } from './fakes/fake-protocol.js';
import { makeFile } from './fakes/fakes.js';
import { makeHarness, waitFor } from './fakes/harness.js';
import { SliceBudget } from '../../src/engine/slice-budget.js';

describe('pause, resume, cancel', () => {
  it('pause aborts the slices in flight; resume sends only what was not acknowledged', async () => {
    const h = makeHarness({ concurrency: 2 });
    h.protocol.sliceSize = 1000;
    h.protocol.onAnswer = (c) => {
      if (c.op === 'slice' && c.offset === 1000) h.protocol.hold();
    };
    const { added } = h.queue.add([makeFile(6000)]);
    const id = added[0]!.id;
    await waitFor(() => (h.queue.get(id)?.uploadedBytes ?? 0) >= 2000 && h.protocol.inFlight === 2, 'two slices held');
    const ackedAtPause = h.queue.get(id)!.uploadedBytes;
    h.queue.pause(id);
    expect(h.queue.get(id)).toMatchObject({ status: 'paused', pausedReason: 'user', speed: 0 });
    await flush();
    expect(h.protocol.inFlight).toBe(0);
    expect(h.types(id)).toContain('pause');

    h.protocol.onAnswer = undefined;
    h.protocol.release();
    h.queue.resume(id);
    expect((await h.until(id, 'done')).status).toBe('done');
    const offsets = h.protocol.slices().map((s) => s.offset!);
    for (let o = 0; o < ackedAtPause; o += 1000) expect(offsets.filter((x) => x === o)).toHaveLength(1);
    expect(offsets.filter((o) => o >= ackedAtPause).length).toBeGreaterThan(6000 / 1000 - ackedAtPause / 1000); // aborted ones resent
    expect(h.protocol.creates().at(-1)!.session).toBe('session-1');
    expect(h.types(id).filter((t) => t === 'error')).toEqual([]); // an abort is never an error
    expect(h.types(id)).toContain('resume');
  });

  it('a file waiting for a slot of the page budget stops at once when cancelled', async () => {
    const h = makeHarness({ concurrency: 2, parallelFiles: 2 }, { sliceBudget: new SliceBudget(1) });
    h.protocol.sliceSize = 1000;
    h.protocol.hold();
    const [a, b] = h.queue.add([makeFile(3000, 'a.mp4', { seed: 1 }), makeFile(3000, 'b.mp4', { seed: 2 })]).added;
    // Both first requests are held: let them through, then hold the one slot's slice.
    await waitFor(() => h.protocol.inFlight === 2, 'both first requests');
    h.protocol.onAnswer = (c) => {
      if (c.op === 'create') h.protocol.hold();
    };
    h.protocol.release();
    await waitFor(() => h.protocol.slicesInFlight === 1 && h.queue.uploads.every((u) => u.status === 'uploading'), 'one slice for two files');
    const sending = h.protocol.slices()[0]!.name === 'a.mp4' ? a! : b!;
    const waiting = sending === a ? b! : a!;
    await waitFor(async () => (await h.store.inner.list()).length === 2, 'both sessions stored');
    // Cancel deletes the stored session once the run has stopped: it must stop without a free slot.
    h.queue.cancel(waiting.id);
    await waitFor(async () => (await h.store.inner.list()).every((s) => s.name === sending.name), 'the cancelled session deleted');
    expect(h.protocol.slicesInFlight).toBe(1);
    h.protocol.onAnswer = undefined;
    h.protocol.release();
    expect((await h.until(sending.id, 'done')).status).toBe('done');
    expect(h.protocol.maxSlicesInFlight).toBe(1);
    expect(h.sliceBudget.inUse).toBe(0);
  });

  it('cancel aborts, deletes the stored session and releases the lock', async () => {
    const h = makeHarness();
    h.protocol.sliceSize = 1000;
    h.protocol.onAnswer = (c) => {
      if (c.op === 'slice') h.protocol.hold();
    };
    const { added } = h.queue.add([makeFile(6000)]);
    const id = added[0]!.id;
    await waitFor(async () => ((await h.store.inner.list())[0]?.acked.length ?? 0) > 0, 'a stored ack');
    const key = (await h.store.inner.list())[0]!.key;
    expect(h.locks.isHeld(key)).toBe(true);
    h.queue.cancel(id);
    expect(h.queue.get(id)?.status).toBe('cancelled');
    await h.queue.idle();
    await flush();
    expect(h.protocol.inFlight).toBe(0);
    expect(await h.store.inner.list()).toEqual([]);
    expect(h.locks.isHeld(key)).toBe(false);
    expect(h.types(id).at(-1)).toBe('cancel');
  });

  it('pause while hashing, then resume', async () => {
    const h = makeHarness();
    h.hasher.holdHashing();
    const { added } = h.queue.add([makeFile(4000)]);
    const id = added[0]!.id;
    await h.until(id, 'hashing');
    h.queue.pause(id);
    h.hasher.releaseHashing();
    await h.queue.idle();
    expect(h.queue.get(id)?.status).toBe('paused');
    h.queue.resume(id);
    expect((await h.until(id, 'done')).status).toBe('done');
  });

  it('remove drops only finished rows; clear cancels the rest and empties the list', async () => {
    const h = makeHarness({ autoStart: false });
    const { added } = h.queue.add([makeFile(1000, 'a.mp4', { seed: 1 }), makeFile(1000, 'b.mp4', { seed: 2 })]);
    h.queue.remove(added[0]!.id);
    expect(h.queue.uploads).toHaveLength(2); // queued: not removable
    h.queue.start(added[0]!.id);
    await h.until(added[0]!.id, 'done');
    h.queue.remove(added[0]!.id);
    expect(h.queue.uploads.map((u) => u.name)).toEqual(['b.mp4']);
    h.queue.clear();
    expect(h.queue.uploads).toEqual([]);
    expect(h.types(added[1]!.id)).toContain('cancel');
  });
});

describe('offline and online', () => {
  it('pauses uploads with requests in flight when offline, resumes them when online', async () => {
    const h = makeHarness({ concurrency: 2 });
    h.protocol.sliceSize = 1000;
    h.protocol.onAnswer = (c) => {
      if (c.op === 'slice') h.protocol.hold();
    };
    const { added } = h.queue.add([makeFile(5000)]);
    const id = added[0]!.id;
    await waitFor(() => h.protocol.inFlight === 2, 'slices in flight');
    h.online.set(false);
    expect(h.queue.get(id)).toMatchObject({ status: 'paused', pausedReason: 'offline' });
    await flush();
    expect(h.protocol.inFlight).toBe(0);
    h.protocol.onAnswer = undefined;
    h.protocol.release();
    h.online.set(true);
    expect((await h.until(id, 'done')).status).toBe('done');
    expect(h.types(id).filter((t) => t === 'error')).toEqual([]);
  });

  it('hashes while offline, waits before the first request, and keeps user-paused uploads paused', async () => {
    const h = makeHarness({ parallelFiles: 2 });
    h.online.set(false);
    const { added } = h.queue.add([makeFile(3000, 'a.mp4', { seed: 1 }), makeFile(3000, 'b.mp4', { seed: 2 })]);
    const [a, b] = added.map((u) => u.id) as [string, string];
    await h.until(a, 'paused');
    await h.until(b, 'paused');
    expect(h.queue.get(a)).toMatchObject({ pausedReason: 'offline', hashedBytes: 3000 });
    expect(h.protocol.calls).toHaveLength(0);
    h.queue.pause(b); // the user pauses b while offline
    expect(h.queue.get(b)?.pausedReason).toBe('user');
    h.online.set(true);
    expect((await h.until(a, 'done')).status).toBe('done');
    await flush();
    expect(h.queue.get(b)?.status).toBe('paused');
    expect(h.hasher.sha1Calls).toHaveLength(2); // not hashed again on resume
  });

  it('a network error while offline pauses instead of burning retries', async () => {
    const h = makeHarness();
    h.protocol.fail((c) => c.op === 'create', () => {
      h.online.isOnline = () => false; // the browser noticed during the request, no event yet
      return networkError();
    });
    const { added } = h.queue.add([makeFile(3000)]);
    const paused = await h.until(added[0]!.id, 'paused', 'retrying', 'error');
    expect(paused).toMatchObject({ status: 'paused', pausedReason: 'offline' });
    expect(h.clock.sleeps).toEqual([]);
  });
});

describe('another tab', () => {
  it('waits while another tab uploads the same file and takes over when it closes', async () => {
    const file = makeFile(6000);
    const h1 = makeHarness({ concurrency: 1 });
    h1.protocol.sliceSize = 1000;
    h1.protocol.onAnswer = (c) => {
      if (c.op === 'slice' && c.offset === 1000) h1.protocol.hold();
    };
    const { added } = h1.queue.add([file]);
    await waitFor(() => h1.queue.get(added[0]!.id)?.uploadedBytes === 2000, 'tab 1 progress');

    const h2 = h1.secondTab({ concurrency: 1 });
    const other = makeFile(2000, 'other.mp4', { seed: 3 });
    const { added: added2 } = h2.queue.add([file, other]);
    const id = added2[0]!.id;
    await waitFor(() => h2.queue.get(id)?.elsewhere === true, 'elsewhere');
    expect(h2.queue.get(id)?.status).toBe('queued');
    // Waiting for the lock does not hold the only slot: the other file goes ahead (parallelFiles 1).
    h1.protocol.onAnswer = undefined;
    h1.protocol.release();
    h1.queue.pause(added[0]!.id);
    h1.protocol.hold();
    // Tab 1 is paused (it keeps its lock while paused) and then closed.
    await h1.queue.idle();
    h1.protocol.release();
    expect((await h2.until(added2[1]!.id, 'done')).status).toBe('done');
    expect(h2.queue.get(id)?.elsewhere).toBe(true);
    h1.queue.dispose();
    const done = await h2.until(id, 'done');
    expect(done.elsewhere).toBeUndefined();
    const mine = h2.protocol.slices().filter((s) => s.name === 'clip.mp4').map((s) => s.offset);
    expect(mine.filter((o) => o === 0)).toHaveLength(1);
    expect(mine.filter((o) => o === 1000)).toHaveLength(1);
  });
});

describe('a failing store', () => {
  it('an upload completes when every store call throws, with one warning', async () => {
    const h = makeHarness();
    for (const op of ['get', 'put', 'delete', 'list', 'sweep'] as const) h.store.throwOn.add(op);
    await h.queue.init();
    const { added } = h.queue.add([makeFile(5000, 'a.mp4', { seed: 1 }), makeFile(5000, 'b.mp4', { seed: 2 })]);
    await h.until(added[0]!.id, 'done');
    await h.until(added[1]!.id, 'done');
    expect(h.types().filter((t) => t === 'warning')).toHaveLength(1);
  });

  it('a store that warns (quota) is forwarded once as a warning', async () => {
    const h = makeHarness();
    h.store.warnOnPut = true;
    const { added } = h.queue.add([makeFile(5000)]);
    await h.until(added[0]!.id, 'done');
    const warnings = h.events.filter((e) => e.type === 'warning');
    expect(warnings).toHaveLength(1);
    expect(h.store.puts).toBeGreaterThan(1);
  });

  it('hands every change to a slow store at once (so its pagehide flush has it), and the final delete wins', async () => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 100;
    h.protocol.onAnswer = (c) => {
      if (c.op === 'slice' && c.offset === 5000) h.protocol.hold();
    };
    h.store.holdPuts(); // a store whose first write does not finish
    const { added } = h.queue.add([makeFile(10_000)]);
    await waitFor(() => h.protocol.slicesInFlight === 1 && h.protocol.slices().length === 51, 'half the slices acked');
    // What the store was given last is what a flush on 'pagehide' writes: it must be the latest.
    expect(h.store.lastPut?.acked).toEqual([[0, 5000]]);
    h.protocol.onAnswer = undefined;
    h.protocol.release();
    await h.until(added[0]!.id, 'done'); // the upload does not wait for the store
    h.store.releasePuts();
    await h.queue.idle();
    expect(await h.store.inner.list()).toEqual([]);
  });
});

describe('dispose', () => {
  it('aborts everything, unsubscribes, keeps stored sessions', async () => {
    const h = makeHarness();
    expect(h.store.onWarning).toBeTypeOf('function'); // the queue listens to the store
    expect(h.online.subscribers).toBe(1);
    h.protocol.hold();
    const { added } = h.queue.add([makeFile(5000)]);
    await waitFor(() => h.protocol.inFlight > 0, 'a request in flight');
    h.queue.dispose();
    await h.queue.idle();
    await flush();
    expect(h.protocol.inFlight).toBe(0);
    expect(h.online.subscribers).toBe(0);
    expect(h.store.onWarning).toBeUndefined(); // what it was before the queue

    expect(await h.store.inner.list()).toHaveLength(1);
    expect(h.queue.get(added[0]!.id)?.status).not.toBe('error');
  });
});

describe('more queue behaviour', () => {
  it('cancelling an upload that waits for another tab leaves that tab\'s stored session alone', async () => {
    const file = makeFile(6000);
    const h1 = makeHarness({ concurrency: 1 });
    h1.protocol.sliceSize = 1000;
    h1.protocol.onAnswer = (c) => {
      if (c.op === 'slice') h1.protocol.hold();
    };
    const { added } = h1.queue.add([file]);
    await waitFor(async () => ((await h1.store.inner.list())[0]?.acked.length ?? 0) > 0, 'tab 1 stored an ack');
    const h2 = h1.secondTab();
    const { added: added2 } = h2.queue.add([file]);
    await waitFor(() => h2.queue.get(added2[0]!.id)?.elsewhere === true, 'elsewhere');
    h2.queue.cancel(added2[0]!.id);
    await h2.queue.idle();
    await flush();
    expect(await h1.store.inner.list()).toHaveLength(1);
    expect(h1.queue.get(added[0]!.id)?.status).toBe('uploading');
    h1.queue.dispose();
  });

  it('cancelling an errored upload leaves alone the stored session another tab took over since', async () => {
    const file = makeFile(6000);
    const h1 = makeHarness({ concurrency: 1 });
    h1.protocol.sliceSize = 1000;
    // Tab 1 gives up (9 failed first requests) and keeps its stored session for a retry.
    h1.protocol.fail((c) => c.op === 'create', networkError(), 9);
    const { added } = h1.queue.add([file]);
    expect((await h1.until(added[0]!.id, 'error')).error?.retryable).toBe(true);
    // Tab 2 chooses the same file: the lock is free, it goes on with the stored session.
    const h2 = h1.secondTab();
    h2.protocol.onAnswer = (c) => {
      if (c.op === 'slice') h2.protocol.hold();
    };
    const { added: added2 } = h2.queue.add([file]);
    await waitFor(async () => ((await h2.store.inner.list())[0]?.acked.length ?? 0) > 0, 'tab 2 stored an ack');
    h1.queue.cancel(added[0]!.id);
    await h1.queue.idle();
    await flush();
    expect(await h2.store.inner.list()).toHaveLength(1);
    h2.protocol.onAnswer = undefined;
    h2.protocol.release();
    expect((await h2.until(added2[0]!.id, 'done')).status).toBe('done');
    expect(h2.protocol.slices().filter((s) => s.offset === 0)).toHaveLength(1); // nothing sent twice
  });

  it('sends the metadata the option gives for each file', async () => {
    const h = makeHarness({ metadata: async (f) => ({ video_title: `T ${f.name}`, biz_attr: 'x' }) });
    const { added } = h.queue.add([makeFile(1000, 'm.mp4')]);
    await h.until(added[0]!.id, 'done');
    expect(h.protocol.creates()[0]!.metadata).toEqual({ video_title: 'T m.mp4', biz_attr: 'x' });
  });

  it('configure({concurrency}) applies to an upload already running', async () => {
    const h = makeHarness({ concurrency: 1, adaptiveConcurrency: false });
    h.protocol.sliceSize = 1000;
    h.protocol.onAnswer = (c) => {
      if (c.op === 'slice' && c.offset === 0) h.queue.configure({ concurrency: 4 });
    };
    const { added } = h.queue.add([makeFile(10_000)]);
    await h.until(added[0]!.id, 'done');
    const inFlight = h.protocol.slices().map((s) => s.inFlight ?? 0);
    expect(inFlight[0]).toBe(1);
    expect(Math.max(...inFlight)).toBe(4);
  });
});
