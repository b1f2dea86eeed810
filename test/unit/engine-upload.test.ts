// One upload's happy paths against the scripted server: slices, concurrency, instant upload,
// empty file, per-slice sha, lost 'done', files one after another, events.
import { describe, expect, it } from 'vitest';
import { makeFile, sha1Of } from './fakes/fakes.js';
import { TARGET, makeHarness, waitFor, type Harness } from './fakes/harness.js';
import { ErrorAction, ErrorKind, UploadError } from '../../src/engine/errors.js';
import type { UploadSnapshot } from '../../src/engine/types.js';

async function upload(h: Harness, file: File): Promise<UploadSnapshot> {
  const { added } = h.queue.add([file]);
  return h.until(added[0]!.id, 'done', 'error');
}

describe('one upload', () => {
  it('sends exactly sliceSize bytes per slice from offset 0, never more than `concurrency` at once', async () => {
    const h = makeHarness({ concurrency: 3 });
    h.protocol.sliceSize = 1000;
    const file = makeFile(10_500);
    const done = await upload(h, file);
    expect(done.status).toBe('done');
    expect(done.uploadedBytes).toBe(10_500);
    expect(done.result).toMatchObject({ resourcePath: '/uploads/2026/clip.mp4', instant: false });
    const slices = h.protocol.slices();
    expect(slices.map((s) => s.offset).sort((a, b) => a! - b!)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
    expect(slices.map((s) => s.size)).toEqual([...Array(10).fill(1000), 500]);
    expect(h.protocol.maxInFlight).toBe(3);
    expect(h.protocol.violations).toEqual([]);
    const create = h.protocol.creates()[0]!;
    expect(create).toMatchObject({ sha: await sha1Of(file), size: 10_500, session: undefined, metadata: { video_title: 'clip.mp4' } });
    expect(done.sha).toBe(await sha1Of(file));
  });

  it('never has more than `concurrency` slices in flight, even on a latency-bound link', async () => {
    const h = makeHarness({ concurrency: 3 });
    h.protocol.sliceSize = 100;
    // A body-less request takes as long as several slices: the link looks latency-bound, where the
    // engine used to climb past the option up to 6.
    h.protocol.onAnswer = (call) => h.clock.advance(call.op === 'create' ? 100 : 10);
    const done = await upload(h, makeFile(20_000));
    expect(done.status).toBe('done');
    expect(h.protocol.slices()).toHaveLength(200);
    expect(h.protocol.maxSlicesInFlight).toBe(3);
  });

  it('asks for the signature while the file is hashed, not after', async () => {
    const h = makeHarness();
    h.hasher.holdHashing();
    const { added } = h.queue.add([makeFile(5000)]);
    await waitFor(() => h.hasher.sha1Calls.length === 1, 'hashing to start');
    // Still hashing: a far link's signature fetch (two round trips) overlaps the hash.
    await waitFor(() => h.signer.gets === 1, 'the signature asked for during the hash');
    expect(h.protocol.creates()).toHaveLength(0);
    h.hasher.releaseHashing();
    const done = await h.until(added[0]!.id, 'done', 'error');
    expect(done.status).toBe('done');
  });

  it('reports a signer failure from the first request, even when the early ask failed too', async () => {
    const h = makeHarness();
    h.signer.failGet = new UploadError({ kind: ErrorKind.Signature, code: 'signature-http', message: 'backend down', action: ErrorAction.Fatal });
    const { added } = h.queue.add([makeFile(5000)]);
    const failed = await h.until(added[0]!.id, 'done', 'error');
    expect(failed.error).toMatchObject({ code: 'signature-http', message: 'backend down' });
    expect(h.signer.gets).toBe(2); // the early ask (dropped) and the first request's
  });

  it('obeys an odd server slice size (786432)', async () => {
    const h = makeHarness({ concurrency: 2 });
    h.protocol.sliceSize = 786_432;
    const size = 3 * 786_432 + 5;
    const done = await upload(h, makeFile(size));
    expect(done.status).toBe('done');
    expect(h.protocol.slices().map((s) => s.size)).toEqual([786_432, 786_432, 786_432, 5]);
    expect(h.protocol.violations).toEqual([]);
    expect(h.protocol.maxInFlight).toBe(2);
  });

  it('finishes a 0-byte file with the first request only', async () => {
    const h = makeHarness();
    const done = await upload(h, makeFile(0, 'empty.mp4'));
    expect(done.status).toBe('done');
    expect(h.protocol.creates()).toHaveLength(1);
    expect(h.protocol.slices()).toHaveLength(0);
  });

  it('is an instant upload when the server already has the sha', async () => {
    const h = makeHarness();
    const file = makeFile(50_000);
    h.protocol.knowSha(await sha1Of(file));
    const done = await upload(h, file);
    expect(done.result?.instant).toBe(true);
    expect(h.protocol.slices()).toHaveLength(0);
    expect(h.types(done.id).at(-1)).toBe('success');
  });

  it('sends each slice\'s SHA-1 when sliceSha is on', async () => {
    const h = makeHarness({ sliceSha: true, concurrency: 2 });
    h.protocol.sliceSize = 1000;
    const file = makeFile(3500);
    await upload(h, file);
    for (const s of h.protocol.slices()) {
      expect(s.sha).toBe(await sha1Of(file.slice(s.offset!, s.offset! + s.size)));
    }
    // Each slice hashed once, prefetching included.
    expect(h.hasher.sliceShaSizes.sort()).toEqual([1000, 1000, 1000, 500].sort());
  });

  it('asks again with the session when the answer carrying "done" was lost', async () => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 1000;
    h.protocol.fail((c) => c.op === 'slice' && c.offset === 2000, 'lose-done');
    const done = await upload(h, makeFile(2500));
    expect(done.status).toBe('done');
    expect(done.result?.instant).toBe(false);
    const creates = h.protocol.creates();
    expect(creates).toHaveLength(2);
    expect(creates[1]!.session).toBe('session-1');
    expect(h.protocol.slices()).toHaveLength(3); // nothing resent
  });

  it('reports add → start → progress… → success, with growing progress', async () => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 1000;
    // Each answer takes 300 ms of fake time, so progress events are not throttled away.
    h.protocol.onAnswer = () => h.clock.advance(300);
    const done = await upload(h, makeFile(5000));
    const types = h.types(done.id);
    expect(types[0]).toBe('add');
    expect(types[1]).toBe('start');
    const start = h.events.find((e) => e.type === 'start')!.detail as { upload: UploadSnapshot };
    expect(start.upload.status).toBe('hashing');
    expect(types.at(-1)).toBe('success');
    expect(types.slice(2, -1).every((t) => t === 'progress')).toBe(true);
    const uploaded = h.events
      .filter((e) => e.type === 'progress')
      .map((e) => (e.detail as { upload: UploadSnapshot }).upload)
      .filter((u) => u.status === 'uploading')
      .map((u) => u.uploadedBytes);
    expect(uploaded.length).toBeGreaterThanOrEqual(3);
    expect([...uploaded].sort((a, b) => a - b)).toEqual(uploaded);
    const last = h.events.filter((e) => e.type === 'change').at(-1)!.detail as { uploads: readonly UploadSnapshot[]; removed: readonly string[] };
    expect(last.uploads[0]).toMatchObject({ status: 'done', uploadedBytes: 5000, hashedBytes: 5000 });
  });

  it('throttles progress events to about five per second', async () => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 100;
    h.protocol.onAnswer = () => h.clock.advance(10); // 100 slices in ~1 s of fake time
    const done = await upload(h, makeFile(10_000));
    const progress = h.types(done.id).filter((t) => t === 'progress').length;
    expect(progress).toBeLessThanOrEqual(12); // hashing + uploading phases, ≤ 5/s each, + flushes
    expect(progress).toBeGreaterThanOrEqual(2);
  });

  it('reports speed and ETA while uploading', async () => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 1000;
    h.protocol.onAnswer = () => h.clock.advance(500); // 1000 bytes per 500 ms = 2000 B/s
    const { added } = h.queue.add([makeFile(10_000)]);
    await h.until(added[0]!.id, 'done');
    const mid = h.events
      .filter((e) => e.type === 'progress')
      .map((e) => (e.detail as { upload: UploadSnapshot }).upload)
      .filter((u) => u.status === 'uploading' && u.uploadedBytes >= 4000 && u.uploadedBytes < 10_000);
    expect(mid.length).toBeGreaterThan(0);
    for (const u of mid) {
      expect(u.speed).toBeGreaterThan(1500);
      expect(u.speed).toBeLessThan(2500);
      expect(u.eta).toBeCloseTo((10_000 - u.uploadedBytes) / u.speed, 5);
    }
  });
});

describe('several files', () => {
  it('uploads one file after another with parallelFiles 1', async () => {
    const h = makeHarness({ concurrency: 2, parallelFiles: 1 });
    h.protocol.sliceSize = 1000;
    const { added } = h.queue.add([makeFile(4000, 'a.mp4', { seed: 1 }), makeFile(4000, 'b.mp4', { seed: 2 })]);
    expect(added).toHaveLength(2);
    await h.until(added[1]!.id, 'done');
    const names = h.protocol.calls.map((c) => c.name);
    expect(names.lastIndexOf('a.mp4')).toBeLessThan(names.indexOf('b.mp4'));
    expect(h.queue.uploads.map((u) => u.status)).toEqual(['done', 'done']);
  });

  it('runs files side by side with parallelFiles 2, sharing at most 6 slices in flight', async () => {
    const h = makeHarness({ concurrency: 6, parallelFiles: 2 });
    h.protocol.sliceSize = 1000;
    const { added } = h.queue.add([makeFile(20_000, 'a.mp4', { seed: 1 }), makeFile(20_000, 'b.mp4', { seed: 2 })]);
    await h.until(added[0]!.id, 'done');
    await h.until(added[1]!.id, 'done');
    const names = h.protocol.calls.map((c) => c.name);
    expect(names.indexOf('b.mp4')).toBeLessThan(names.lastIndexOf('a.mp4')); // interleaved
    expect(h.protocol.maxSlicesInFlight).toBeLessThanOrEqual(6);
  });

  it('two uploaders on one page share one budget of 6 slices in flight', async () => {
    const first = makeHarness({ concurrency: 6 });
    const second = first.samePage();
    first.protocol.sliceSize = 1000;
    const a = first.queue.add([makeFile(30_000, 'a.mp4', { seed: 1 })]).added[0]!;
    const b = second.queue.add([makeFile(30_000, 'b.mp4', { seed: 2 })]).added[0]!;
    await first.until(a.id, 'done');
    await second.until(b.id, 'done');
    const names = first.protocol.slices().map((c) => c.name);
    expect(names.indexOf('b.mp4')).toBeLessThan(names.lastIndexOf('a.mp4')); // they did send together
    expect(first.protocol.maxSlicesInFlight).toBe(6);
    expect(first.sliceBudget.inUse).toBe(0);
  });

  it('does not add the same file twice, but does add it for another folder', async () => {
    const h = makeHarness({ autoStart: false });
    const f = makeFile(1000);
    const same = new File([f], f.name, { lastModified: f.lastModified, type: f.type });
    const first = h.queue.add([f]);
    const second = h.queue.add([same]);
    expect(first.added).toHaveLength(1);
    expect(second).toEqual({ added: [], duplicates: [same] });
    // Another modification time (a copy of the same video): the same destination, the same file.
    const copy = new File([f], f.name, { lastModified: f.lastModified + 1000, type: f.type });
    expect(h.queue.add([copy])).toEqual({ added: [], duplicates: [copy] });
    expect(h.queue.fileKeys().size).toBe(1);
    h.queue.configure({ target: { appid: '1250000000', bucket: 'videos', dir: 'other' } });
    expect(h.queue.add([same]).added).toHaveLength(1);
    // A cancelled row no longer counts as a duplicate.
    h.queue.configure({ target: TARGET });
    h.queue.cancel(first.added[0]!.id);
    expect(h.queue.add([f]).added).toHaveLength(1);
  });

  it('waits for start() when autoStart is false', async () => {
    const h = makeHarness({ autoStart: false });
    const { added } = h.queue.add([makeFile(1000)]);
    await new Promise((r) => setTimeout(r, 20));
    expect(h.queue.get(added[0]!.id)?.status).toBe('queued');
    expect(h.protocol.calls).toHaveLength(0);
    h.queue.start();
    expect((await h.until(added[0]!.id, 'done')).status).toBe('done');
  });
});
