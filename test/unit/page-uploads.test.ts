// The page's registry of queues (src/element/page-uploads.ts), over the engine's fakes: a queue
// outlives the element that made it while it runs, is shared by the next one for the same key, and
// is let go (online listener, locks, store) once no element shows it and nothing in it runs. The
// page-wide snapshot keeps its identity until something changes (useSyncExternalStore).
import { describe, expect, it } from 'vitest';
import { UploadRegistry, type QueueViewer } from '../../src/element/page-uploads.js';
import { UploadQueue } from '../../src/engine/queue.js';
import { SliceBudget } from '../../src/engine/slice-budget.js';
import { FakeClock, flush } from './fakes/clock.js';
import { FakeProtocol } from './fakes/fake-protocol.js';
import { FakeHasher, FakeOnline, FakeSigner, LockRegistry, TestStore, makeFile } from './fakes/fakes.js';
import { TARGET, waitFor } from './fakes/harness.js';

function setup() {
  const clock = new FakeClock();
  const protocol = new FakeProtocol();
  protocol.sliceSize = 1000;
  const online = new FakeOnline();
  const locks = new LockRegistry();
  const page = new EventTarget();
  const store = new TestStore(clock.now);
  let closed = 0;
  const registry = new UploadRegistry(
    (current) => ({
      queue: new UploadQueue(
        {
          protocol, signer: new FakeSigner(), hasher: new FakeHasher(), store,
          locks: locks.tab(), online, now: clock.now, sleep: clock.sleep, sliceBudget: new SliceBudget(),
        },
        current().queueOptions(),
      ),
      close: () => void closed++,
    }),
    { page: () => page },
  );
  const viewer = (leaveWarning = true): QueueViewer => ({
    connection: () => ({ endpoint: '', signatureUrl: '' }),
    queueOptions: () => ({ target: TARGET, concurrency: 1 }),
    leaveWarning: () => leaveWarning,
  });
  /** Whether leaving `page` now would ask (a listener called preventDefault). */
  const asksBeforeLeaving = (): boolean => {
    const event = new Event('beforeunload', { cancelable: true });
    page.dispatchEvent(event);
    return event.defaultPrevented;
  };
  return { registry, protocol, online, locks, store, viewer, closed: () => closed, asksBeforeLeaving };
}

/** `viewer` joins queue 'k' and adds one file; resolves once it is uploading, the server holding answers. */
async function uploadingOne(t: ReturnType<typeof setup>, viewer: QueueViewer) {
  t.protocol.hold();
  const shared = t.registry.join('k', viewer);
  await shared.initialized;
  const id = shared.queue.add([makeFile(5000)]).added[0]!.id;
  await waitFor(() => shared.queue.get(id)?.status === 'uploading', 'uploading');
  return { shared, id };
}

describe('UploadRegistry', () => {
  it('keeps a queue whose element left while it uploads, shows it to the next element, lets it go when done', async () => {
    const t = setup();
    const first = t.viewer();
    const { shared, id } = await uploadingOne(t, first);
    expect(t.online.subscribers).toBe(1);

    t.registry.leave(shared, first);
    expect(t.registry.openQueues).toBe(1);
    expect(t.closed()).toBe(0);

    const second = t.viewer();
    const again = t.registry.join('k', second);
    expect(again).toBe(shared);
    expect(again.queue.uploads.map((u) => u.id)).toEqual([id]);

    t.registry.leave(again, second);
    t.protocol.release();
    await waitFor(() => t.registry.openQueues === 0, 'released');
    expect(shared.queue.get(id)?.status).toBe('done');
    expect(t.online.subscribers).toBe(0);
    await flush(4);
    expect(t.closed()).toBe(1);
    expect(t.registry.getSnapshot().uploads).toEqual([]);
  });

  it('lets a paused upload go with its lock when no element shows it; its session stays restorable', async () => {
    const t = setup();
    const v = t.viewer();
    const { shared, id } = await uploadingOne(t, v);
    shared.queue.pause(id);
    t.protocol.release();
    await shared.queue.idle();
    const [session] = await t.store.list();
    expect(t.locks.isHeld(session!.key)).toBe(true);
    expect(shared.queue.busy).toBe(false);

    t.registry.leave(shared, v);
    expect(t.registry.openQueues).toBe(0);
    expect(t.online.subscribers).toBe(0);
    await waitFor(() => !t.locks.isHeld(session!.key), 'lock released');
    // The lock is free: the next element (a new queue) may take the stored session over.
    const next = t.registry.join('k', t.viewer());
    expect(next).not.toBe(shared);
    await next.initialized;
    expect((await next.queue.listRestorable()).map((r) => r.name)).toEqual(['clip.mp4']);
  });

  it('gives one snapshot until something changes, and tells subscribers of every change', async () => {
    const t = setup();
    const empty = t.registry.getSnapshot();
    expect(t.registry.getSnapshot()).toBe(empty);
    let calls = 0;
    const unsubscribe = t.registry.subscribe(() => calls++);
    t.protocol.hold();
    const shared = t.registry.join('k', t.viewer());
    shared.queue.add([makeFile(5000, 'a.mp4')]);
    const withOne = t.registry.getSnapshot();
    expect(withOne).not.toBe(empty);
    expect(t.registry.getSnapshot()).toBe(withOne);
    expect(withOne.uploads.map((u) => u.name)).toEqual(['a.mp4']);
    expect(withOne.running).toBe(1);
    await null; // the queue tells of a burst of changes once, in a microtask
    expect(calls).toBeGreaterThan(0);

    t.registry.join('other', t.viewer()).queue.add([makeFile(3000, 'b.mp4')]);
    expect(t.registry.getSnapshot().uploads.map((u) => u.name)).toEqual(['a.mp4', 'b.mp4']);
    expect(t.registry.getSnapshot().running).toBe(2);

    unsubscribe();
    const before = calls;
    shared.queue.cancel();
    expect(calls).toBe(before);
    t.protocol.release();
  });

  it('with one queue, the page snapshot is that queue\'s own list (no copy of every upload per change), counted without a walk', async () => {
    const t = setup();
    const shared = t.registry.join('k', t.viewer());
    t.protocol.hold();
    shared.queue.add([makeFile(5000, 'a.mp4'), makeFile(3000, 'b.mp4')]);
    const snapshot = t.registry.getSnapshot();
    expect(snapshot.uploads).toBe(shared.queue.uploads);
    expect(snapshot.running).toBe(2);
    expect(t.registry.getSnapshot()).toBe(snapshot);
    shared.queue.cancel();
    expect(t.registry.getSnapshot().running).toBe(0);
    t.protocol.release();
  });

  it('asks before leaving the page only while an upload is sent, and not when the element says no-leave-warning', async () => {
    const t = setup();
    expect(t.asksBeforeLeaving()).toBe(false);
    const { shared, id } = await uploadingOne(t, t.viewer());
    expect(t.asksBeforeLeaving()).toBe(true);
    shared.queue.pause(id);
    await null; // the queue's 'change' of the pause
    expect(t.asksBeforeLeaving()).toBe(false);
    shared.queue.resume(id);
    await waitFor(() => t.asksBeforeLeaving(), 'asking again');

    const quiet = t.registry.join('quiet', t.viewer(false));
    t.protocol.release();
    await shared.queue.idle();
    expect(t.asksBeforeLeaving()).toBe(false);
    t.protocol.hold();
    quiet.queue.add([makeFile(5000, 'q.mp4')]);
    await waitFor(() => quiet.queue.uploads[0]?.status === 'uploading', 'quiet uploading');
    expect(t.asksBeforeLeaving()).toBe(false);
    t.protocol.release();
  });
});
