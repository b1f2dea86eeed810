// Many files (issue 14): files in parallel with the next ones hashed ahead, and a cost per file that
// stays flat in the queue's length, caught by counting operations (never by timing).

import { afterEach, describe, expect, it, vi } from 'vitest';
import { Upload } from '../../src/engine/upload.js';
import { HASH_AHEAD_FILES } from '../../src/engine/options.js';
import type { UploadSnapshot } from '../../src/engine/types.js';
import { makeHarness, waitFor, type Harness } from './fakes/harness.js';
import { makeFile } from './fakes/fakes.js';
import { networkError } from './fakes/fake-protocol.js';

/** Resolves once `n` uploads of the queue succeeded (event-driven: no walk over the list). */
function allDone(h: Harness, n: number): Promise<void> {
  let done = 0;
  return new Promise((resolve) => {
    h.queue.addEventListener('success', () => {
      if (++done === n) resolve();
    });
  });
}

/** Holds the answers to `name`'s requests of kind `op` until `release()` (the other requests go on). */
function heldAnswers(protocol: Harness['protocol'], op: 'create' | 'sendSlice', name: string): { release(): void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let released = false;
  const send = protocol[op].bind(protocol) as (req: { name: string }) => Promise<unknown>;
  (protocol as unknown as Record<string, unknown>)[op] = async (req: { name: string }) => {
    if (req.name === name && !released) {
      const answer = send(req); // sent (and counted) now, answered after the gate
      answer.catch(() => undefined); // a failure is awaited below, after the gate
      await gate;
      return answer;
    }
    return send(req);
  };
  return { release: () => { released = true; open(); } };
}

function tinyFiles(n: number): File[] {
  // Distinct names: the same name and size in the same folder is a duplicate.
  return Array.from({ length: n }, (_, i) => new File([new Uint8Array([i & 255, i >> 8])], `clip-${i}.mp4`, { type: 'video/mp4' }));
}

describe('files in parallel', () => {
  it('hashes the next files while one sends, and sends one file at a time with parallelFiles 1', async () => {
    const h = makeHarness({ parallelFiles: 1 });
    h.protocol.hold();
    // The sending one, HASH_AHEAD_FILES hashed ahead, and one more that waits for its turn.
    const names = Array.from({ length: HASH_AHEAD_FILES + 2 }, (_, i) => `f${i}.mp4`);
    const { added } = h.queue.add(names.map((n, i) => makeFile(3000, n, { seed: i })));
    const ahead = added.slice(1, -1);
    const last = added.at(-1)!;
    await waitFor(() => h.protocol.calls.some((c) => c.name === names[0]), 'the first file sends');
    await waitFor(() => ahead.every((u) => h.queue.get(u.id)!.hashedBytes === 3000), 'the next ones hashed ahead');
    expect(h.hasher.sha1Calls).toHaveLength(1 + HASH_AHEAD_FILES);
    for (const u of ahead) expect(h.queue.get(u.id)).toMatchObject({ status: 'queued', hashedBytes: 3000 });
    expect(h.queue.get(last.id)).toMatchObject({ status: 'queued', hashedBytes: 0 });
    expect(h.protocol.calls.every((c) => c.name === names[0])).toBe(true);
    h.protocol.release();
    await h.until(last.id, 'done');
    // Strictly one file after another on the wire.
    const sent = h.protocol.calls.map((c) => c.name);
    for (let i = 1; i < names.length; i++) expect(sent.lastIndexOf(names[i - 1]!)).toBeLessThan(sent.indexOf(names[i]!));
  });

  it('never has more than parallelFiles files with requests left to send, and reaches that many', async () => {
    const h = makeHarness({ parallelFiles: 3, concurrency: 2 });
    h.protocol.sliceSize = 1000;
    const files = Array.from({ length: 10 }, (_, i) => makeFile(4000, `f${i}.mp4`, { seed: i }));
    const done = allDone(h, files.length);
    h.queue.add(files);
    await done;
    // A file starts with its first request and has sent everything once its last slice is on its way
    // (the calls are in the order they were sent).
    const starting = new Set<string>();
    let most = 0;
    for (const c of h.protocol.calls) {
      if (c.op === 'create') starting.add(c.name);
      most = Math.max(most, starting.size);
      if (c.op === 'slice' && c.offset! + c.size === 4000) starting.delete(c.name);
    }
    expect(most).toBe(3);
    expect(h.protocol.maxSlicesInFlight).toBeLessThanOrEqual(6);
    expect(h.queue.statusCounts.done).toBe(10);
  });

  it('a file whose last slice is on its way lets the next file send its first request', async () => {
    const h = makeHarness({ parallelFiles: 2 });
    h.protocol.sliceSize = 64 * 1024;
    const answers = ['a.mp4', 'b.mp4'].map((name) => heldAnswers(h.protocol, 'sendSlice', name));
    const { added } = h.queue.add(['a', 'b', 'c'].map((n, i) => makeFile(3000, `${n}.mp4`, { seed: i })));
    // a and b wait for the answers to their one slice; c does not wait for either to finish.
    await waitFor(() => h.protocol.creates().some((c) => c.name === 'c.mp4'), "c's first request while a's and b's slices are unanswered");
    expect(h.protocol.slices().map((c) => c.name).sort()).toEqual(['a.mp4', 'b.mp4']);
    expect(added.slice(0, 2).map((u) => h.queue.get(u.id)!.status)).toEqual(['uploading', 'uploading']);
    for (const a of answers) a.release();
    for (const u of added) await h.until(u.id, 'done');
  });

  it('with parallelFiles 1 the next file starts after the last answer of the one before', async () => {
    const h = makeHarness({ parallelFiles: 1 });
    h.protocol.sliceSize = 64 * 1024;
    const aAnswers = heldAnswers(h.protocol, 'sendSlice', 'a.mp4');
    const { added } = h.queue.add(['a', 'b'].map((n, i) => makeFile(3000, `${n}.mp4`, { seed: i })));
    await waitFor(() => h.protocol.slices().some((c) => c.name === 'a.mp4'), "a's one slice is sent");
    await waitFor(() => h.hasher.sha1Calls.length === 2, 'b hashed ahead');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.protocol.creates().map((c) => c.name)).toEqual(['a.mp4']);
    aAnswers.release();
    await h.until(added[1]!.id, 'done');
  });

  it('a file waiting for the answers to its last slices leaves its place to a file hashed ahead', async () => {
    const h = makeHarness({ parallelFiles: 2 });
    h.protocol.sliceSize = 64 * 1024;
    heldAnswers(h.protocol, 'sendSlice', 'f0.mp4');
    heldAnswers(h.protocol, 'create', 'f1.mp4');
    heldAnswers(h.protocol, 'create', 'f2.mp4');
    const files = Array.from({ length: HASH_AHEAD_FILES + 4 }, (_, i) => makeFile(3000, `f${i}.mp4`, { seed: i }));
    h.queue.add(files);
    await waitFor(() => h.protocol.creates().some((c) => c.name === 'f2.mp4'), "f2's first request");
    // f0 waits for its answer, f1 and f2 send, and HASH_AHEAD_FILES more are hashed: the last one waits.
    await waitFor(() => h.hasher.sha1Calls.length === 3 + HASH_AHEAD_FILES, 'the files hashed ahead');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.hasher.sha1Calls).toHaveLength(3 + HASH_AHEAD_FILES);
    h.queue.dispose();
  });

  it('a file whose last slice fails waits for a sending slot again before it retries', async () => {
    const h = makeHarness({ parallelFiles: 2 });
    h.protocol.sliceSize = 64 * 1024;
    const stuck = heldAnswers(h.protocol, 'create', 'stuck.mp4'); // holds the other slot throughout
    const aAnswers = heldAnswers(h.protocol, 'sendSlice', 'a.mp4');
    h.protocol.fail((c) => c.op === 'slice' && c.name === 'a.mp4', networkError());
    const bAnswers = heldAnswers(h.protocol, 'sendSlice', 'b.mp4');
    const { added } = h.queue.add(['stuck', 'a', 'b'].map((n, i) => makeFile(3000, `${n}.mp4`, { seed: i })));
    await waitFor(() => h.protocol.creates().some((c) => c.name === 'b.mp4'), "b's first request");
    aAnswers.release(); // a's slice fails: a retries, but b holds the slot until its own slice is sent
    await waitFor(() => h.protocol.slices().some((c) => c.name === 'b.mp4'), "b's slice");
    await h.until(added[1]!.id, 'done');
    const calls = h.protocol.calls.map((c) => `${c.op} ${c.name}`);
    expect(calls.lastIndexOf('create a.mp4')).toBeGreaterThan(calls.indexOf('slice b.mp4'));
    bAnswers.release();
    stuck.release();
    for (const u of added) await h.until(u.id, 'done');
  });

  it('a file hashed ahead that is paused gives up its place; the others go on', async () => {
    const h = makeHarness({ parallelFiles: 1 });
    h.protocol.hold();
    const { added } = h.queue.add(['a', 'b', 'c'].map((n, i) => makeFile(3000, `${n}.mp4`, { seed: i })));
    await waitFor(() => h.queue.get(added[2]!.id)!.hashedBytes === 3000, 'c hashed ahead');
    h.queue.pause(added[1]!.id);
    h.protocol.release();
    await h.until(added[2]!.id, 'done');
    expect(h.queue.get(added[1]!.id)!.status).toBe('paused');
    expect(h.protocol.calls.some((c) => c.name === 'b.mp4')).toBe(false);
    h.queue.resume(added[1]!.id);
    await h.until(added[1]!.id, 'done');
  });
});

describe('cost per file, flat in the queue length', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Runs `n` tiny files through a queue and counts the per-upload operations the queue performs. */
  async function countOperations(n: number): Promise<number> {
    const counters = {
      snapshot: vi.spyOn(Upload.prototype, 'snapshot'),
      runnable: vi.spyOn(Upload.prototype, 'isRunnable', 'get'),
      slot: vi.spyOn(Upload.prototype, 'occupiesSlot', 'get'),
      duplicate: vi.spyOn(Upload.prototype, 'duplicateKey', 'get'),
    };
    const h = makeHarness({ parallelFiles: 4 });
    let lists = 0;
    h.queue.addEventListener('change', () => {
      lists++;
      void h.queue.uploads; // a view reading the list on every change
    });
    const done = allDone(h, n);
    const { added, duplicates } = await h.queue.addAll(tinyFiles(n));
    expect(added).toHaveLength(n);
    expect(duplicates).toHaveLength(0);
    h.queue.add(tinyFiles(3)); // the same files again: refused as duplicates
    await done;
    expect(h.queue.statusCounts.done).toBe(n);
    expect(lists).toBeGreaterThan(0);
    const total = Object.values(counters).reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    vi.restoreAllMocks();
    return total;
  }

  it('adding and uploading 2,000 files costs per file what 250 files cost (no walk over the list per file or per change)', async () => {
    const small = (await countOperations(250)) / 250;
    const big = (await countOperations(2000)) / 2000;
    // An O(n) scan per file or per change would make `big` about 8× `small`.
    expect(big).toBeLessThanOrEqual(small * 1.25);
  }, 60_000);

  it('the list snapshot keeps its identity until something changes, and reuses unchanged uploads\' snapshots', async () => {
    const h = makeHarness({ autoStart: false });
    h.queue.add(tinyFiles(3));
    const first = h.queue.uploads;
    expect(h.queue.uploads).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    h.queue.start(first[1]!.id);
    await h.until(first[1]!.id, 'done');
    const after = h.queue.uploads;
    expect(after).not.toBe(first);
    expect(after[0]).toBe(first[0]);
    expect(after[2]).toBe(first[2]);
    expect(after[1]).not.toBe(first[1]);
    expect((after[1] as UploadSnapshot).status).toBe('done');
  });

  it('adds thousands of files in chunks that yield to the page, one "add" per file, in order', async () => {
    const h = makeHarness({ autoStart: false });
    let yields = 0;
    const names: string[] = [];
    h.queue.addEventListener('add', (e) => names.push(e.detail.upload.name));
    const addAll = h.queue.addAll(tinyFiles(1000));
    // Between chunks the page runs: count macrotasks until the add is over.
    let over = false;
    void addAll.then(() => (over = true));
    while (!over) {
      await new Promise((r) => setTimeout(r, 0));
      yields++;
    }
    expect(yields).toBeGreaterThanOrEqual(4); // 1000 files in chunks of 200
    expect(names).toEqual(tinyFiles(1000).map((f) => f.name));
  });

  it("'change' names the ids taken out of the list since the last one (a view forgets them without a walk)", async () => {
    const h = makeHarness({ autoStart: false });
    const { added } = h.queue.add(tinyFiles(4));
    const changes = (): Array<readonly string[]> => h.events.filter((e) => e.type === 'change').map((e) => (e.detail as { removed: readonly string[] }).removed);
    await waitFor(() => changes().length === 1, 'the add is told');
    expect(changes()).toEqual([[]]);
    for (const i of [0, 2, 3]) h.queue.cancel(added[i]!.id);
    await waitFor(() => changes().length === 2, 'the cancels are told');
    expect(changes()[1]).toEqual([]);
    h.queue.remove(added[0]!.id);
    h.queue.removeMany([added[2]!.id, added[3]!.id]);
    await waitFor(() => changes().length === 3, 'the removals are told');
    expect(changes()[2]).toEqual([added[0]!.id, added[2]!.id, added[3]!.id]);
    h.queue.cancel(added[1]!.id);
    await waitFor(() => changes().length === 4, 'the next change');
    expect(changes()[3]).toEqual([]);
  });

  it('addAll ends a chunk early when its files are slow to look at (time, not only a count)', async () => {
    let yields = 0;
    const h = makeHarness({ autoStart: false }, {
      yieldToPage: async () => {
        yields++;
        await new Promise((r) => setTimeout(r, 0));
      },
    });
    // Chromium's first look at a chosen file's size is a round trip to its browser process: 2 ms here.
    const slow = tinyFiles(100).map((f) => {
      let size: number | undefined;
      Object.defineProperty(f, 'size', {
        get: () => {
          if (size === undefined) h.clock.advance(2);
          return (size ??= 2);
        },
      });
      return f;
    });
    const { added } = await h.queue.addAll(slow);
    expect(added).toHaveLength(100);
    // 100 files × 2 ms in stretches of about PAGE_SLICE_MS (8 ms): about 25 chunks, not one of 200.
    expect(yields).toBeGreaterThanOrEqual(20);
  });
});
