// Every action of the error table, and the retry schedule, against the scripted server.
import { describe, expect, it } from 'vitest';
import { ErrorAction, ErrorKind, UploadError } from '../../src/engine/errors.js';
import type { UploadQueueEventMap, UploadSnapshot } from '../../src/engine/types.js';
import { scriptedRandom } from './fakes/clock.js';
import { networkError, serverError, timeoutError } from './fakes/fake-protocol.js';
import { makeFile, sha1Of } from './fakes/fakes.js';
import { TARGET, makeHarness, type Harness } from './fakes/harness.js';

async function upload(h: Harness, file: File): Promise<UploadSnapshot> {
  const { added } = h.queue.add([file]);
  return h.until(added[0]!.id, 'done', 'error');
}
/** -4019 as the protocol client reports it, with the answer's data. */
function unfinished(data?: Record<string, unknown>): UploadError {
  return new UploadError({
    kind: ErrorKind.Server, code: -4019, action: ErrorAction.Resume, serverMessage: 'ERROR_UPLOAD_UNFINISHED', data,
    message: 'This file is already being uploaded and is not finished (code -4019: ERROR_UPLOAD_UNFINISHED).',
  });
}
function retries(h: Harness): UploadQueueEventMap['retry'][] {
  return h.events.filter((e) => e.type === 'retry').map((e) => e.detail as UploadQueueEventMap['retry']);
}

describe('error actions', () => {
  it('renew-signature: renews once and repeats the same request', async () => {
    const h = makeHarness({ concurrency: 2 });
    h.protocol.sliceSize = 1000;
    h.protocol.acceptSignature = (s) => s !== 'sig-1';
    const done = await upload(h, makeFile(3000));
    expect(done.status).toBe('done');
    expect(h.signer.renewals).toEqual(['sig-1']);
    expect(h.protocol.slices().every((c) => c.signature === 'sig-2')).toBe(true);
  });

  it('renew-signature: refused again right after renewal → error with a clear message', async () => {
    const h = makeHarness();
    h.protocol.acceptSignature = () => false;
    const failed = await upload(h, makeFile(3000));
    expect(failed.status).toBe('error');
    expect(failed.error).toMatchObject({ code: -97, retryable: false });
    expect(failed.error?.message).toMatch(/refused the upload signature again/);
    expect(h.signer.renewals).toHaveLength(1);
    expect(h.protocol.slices()).toHaveLength(0);
  });

  it('restart-session: forgets the server session, keeps the sha, starts a new session', async () => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 1000;
    h.protocol.fail((c) => c.op === 'slice' && c.offset === 2000, serverError(-95, ErrorAction.RestartSession));
    const done = await upload(h, makeFile(4000));
    expect(done.status).toBe('done');
    expect(h.hasher.sha1Calls).toHaveLength(1);
    const creates = h.protocol.creates();
    expect(creates).toHaveLength(2);
    expect(creates[1]!.session).toBeUndefined();
    expect(creates[1]!.sha).toBe(creates[0]!.sha);
    expect(h.protocol.slices().filter((s) => s.session === 'session-2').map((s) => s.offset)).toEqual([0, 1000, 2000, 3000]);
  });

  it('rehash (-4016): hashes again from zero, once, then succeeds', async () => {
    const h = makeHarness();
    h.protocol.fail((c) => c.op === 'create', serverError(-4016, ErrorAction.Rehash));
    const done = await upload(h, makeFile(3000));
    expect(done.status).toBe('done');
    expect(h.hasher.sha1Calls).toEqual([{ from: undefined }, { from: undefined }]);
  });

  it('rehash twice → error', async () => {
    const h = makeHarness();
    h.protocol.fail((c) => c.op === 'create', serverError(-4016, ErrorAction.Rehash), 2);
    const failed = await upload(h, makeFile(3000));
    expect(failed.status).toBe('error');
    expect(failed.error).toMatchObject({ code: -4016, retryable: false });
    expect(h.hasher.sha1Calls).toHaveLength(2);
  });

  it('resume (-4019): first request again with the session, then only the missing slices', async () => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 1000;
    h.protocol.fail((c) => c.op === 'slice' && c.offset === 1000, serverError(-4019, ErrorAction.Resume));
    const done = await upload(h, makeFile(3000));
    expect(done.status).toBe('done');
    expect(h.protocol.creates().map((c) => c.session)).toEqual([undefined, 'session-1']);
    expect(h.protocol.slices().map((s) => s.offset)).toEqual([0, 1000, 1000, 2000]);
  });

  it('resume (-4019) on the first request: goes on with the session the answer names', async () => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 1000;
    const file = makeFile(3000);
    // An unfinished session of this file that this page does not know (its stored record was lost).
    const earlier = await h.protocol.create({ target: TARGET, name: file.name, filesize: file.size, sha: await sha1Of(file), signature: 'sig-1' });
    const session = earlier.kind === 'continue' ? earlier.session : '';
    await h.protocol.sendSlice({ target: TARGET, name: file.name, session, offset: 0, body: file.slice(0, 1000), signature: 'sig-1' });
    h.protocol.fail((c) => c.op === 'create' && !c.session, unfinished({ session }));
    const done = await upload(h, file);
    expect(done.status).toBe('done');
    expect(h.protocol.creates().map((c) => c.session)).toEqual([undefined, undefined, session]);
    expect(h.protocol.slices().map((s) => s.offset)).toEqual([0, 1000, 2000]); // the first one was there
  });

  it('resume (-4019) with no session named and none known: stops after that one request, saying why', async () => {
    const h = makeHarness();
    h.protocol.fail((c) => c.op === 'create', unfinished(), 20);
    const failed = await upload(h, makeFile(3000));
    expect(failed.status).toBe('error');
    expect(failed.error).toMatchObject({ code: -4019, kind: 'server', retryable: false });
    expect(failed.error?.message).toMatch(/already being uploaded here, but not which upload session/);
    expect(h.protocol.creates()).toHaveLength(1);
    expect(retries(h)).toEqual([]);
  });

  it('fatal stops only that file; the other one finishes', async () => {
    const h = makeHarness({ parallelFiles: 2 });
    h.protocol.sliceSize = 1000;
    h.protocol.fail((c) => c.name === 'a.mp4' && c.op === 'slice', serverError(-4018, ErrorAction.Fatal, 'ERROR_PROXY_FILE_EXISTS'));
    const { added } = h.queue.add([makeFile(5000, 'a.mp4', { seed: 1 }), makeFile(5000, 'b.mp4', { seed: 2 })]);
    const a = await h.until(added[0]!.id, 'done', 'error');
    const b = await h.until(added[1]!.id, 'done', 'error');
    expect(a.status).toBe('error');
    expect(a.error).toMatchObject({ code: -4018, retryable: false, kind: 'server' });
    expect(b.status).toBe('done');
    const errorEvent = h.events.find((e) => e.type === 'error')!.detail as UploadQueueEventMap['error'];
    expect(errorEvent.error).toBeInstanceOf(UploadError);
    // A terminal server answer leaves nothing worth resuming.
    await h.queue.idle();
    expect(await h.store.inner.list()).toEqual([]);
  });

  it('an unreadable file → error kind file, stored session kept for re-selection', async () => {
    const h = makeHarness();
    h.hasher.failSha1 = new DOMException('The file could not be read', 'NotReadableError');
    const failed = await upload(h, makeFile(3000));
    expect(failed.error).toMatchObject({ kind: 'file', retryable: false });
    expect(failed.error?.message).toMatch(/no longer be read/);
    await h.queue.idle();
    expect(await h.store.inner.list()).toHaveLength(1);
  });

  it('a failing signature source is retried with backoff', async () => {
    const h = makeHarness();
    h.signer.failGet = new UploadError({ kind: ErrorKind.Signature, code: 'source', message: 'backend down', action: ErrorAction.Retry });
    h.queue.addEventListener('retry', () => (h.signer.failGet = undefined));
    const done = await upload(h, makeFile(3000));
    expect(done.status).toBe('done');
    expect(retries(h)).toHaveLength(1);
  });
});

describe('retry with backoff', () => {
  it('waits random() × 0.5 s·2^n and tells each attempt', async () => {
    const h = makeHarness({ concurrency: 1 }, { random: scriptedRandom([0.5, 0.25, 1 - 1e-9]) });
    h.protocol.sliceSize = 1000;
    h.protocol.fail((c) => c.op === 'slice' && c.offset === 1000, networkError(), 3);
    const done = await upload(h, makeFile(3000));
    expect(done.status).toBe('done');
    expect(h.clock.sleeps).toEqual([250, 250, 1999]);
    expect(retries(h).map((r) => [r.attempt, r.delayMs, r.error.code])).toEqual([
      [1, 250, 'network'], [2, 250, 'network'], [3, 1999, 'network'],
    ]);
    expect(h.protocol.slices().map((s) => s.offset)).toEqual([0, 1000, 1000, 1000, 1000, 2000]);
  });

  it('caps the delay at 30 s, gives up after 8 attempts without progress, and can be retried', async () => {
    const h = makeHarness({ concurrency: 1 }, { random: () => 0.999 });
    h.protocol.fail((c) => c.op === 'create', networkError(), 9);
    const failed = await upload(h, makeFile(3000));
    expect(failed.status).toBe('error');
    expect(failed.error).toMatchObject({ code: 'network', retryable: true });
    expect(failed.error?.message).toMatch(/Gave up after 8 retries/);
    expect(h.clock.sleeps).toEqual([499, 999, 1998, 3996, 7992, 15984, 29970, 29970]);
    h.queue.retry(failed.id);
    expect((await h.until(failed.id, 'done')).status).toBe('done');
  });

  it('counts attempts again from 1 after an acknowledged slice', async () => {
    const h = makeHarness({ concurrency: 1 });
    h.protocol.sliceSize = 1000;
    h.protocol.fail((c) => c.op === 'slice' && c.offset === 1000, networkError(), 2);
    h.protocol.fail((c) => c.op === 'slice' && c.offset === 2000, networkError(), 2);
    const done = await upload(h, makeFile(3000));
    expect(done.status).toBe('done');
    expect(retries(h).map((r) => r.attempt)).toEqual([1, 2, 1, 2]);
    expect(h.clock.sleeps).toEqual([250, 500, 250, 500]);
  });

  it('shows status retrying with the time of the next attempt', async () => {
    const h = makeHarness();
    h.clock.holdSleeps();
    h.protocol.fail((c) => c.op === 'create', networkError());
    const { added } = h.queue.add([makeFile(3000)]);
    const waiting = await h.until(added[0]!.id, 'retrying');
    expect(waiting.retryAt).toBe(h.clock.now() + 250);
    expect(waiting.retryReason).toMatchObject({ kind: 'network', retryable: true });
    h.clock.releaseSleeps();
    const done = await h.until(added[0]!.id, 'done');
    expect(done.retryAt).toBeUndefined();
    expect(done.retryReason).toBeUndefined();
  });

  it('halves the slices in flight after a timeout', async () => {
    const h = makeHarness({ concurrency: 4 });
    h.protocol.sliceSize = 1000;
    h.protocol.fail((c) => c.op === 'slice' && c.offset === 0, timeoutError());
    const done = await upload(h, makeFile(12_000));
    expect(done.status).toBe('done');
    const slices = h.protocol.slices();
    expect(slices.slice(0, 4).map((s) => s.inFlight)).toEqual([1, 2, 3, 4]);
    const afterRetry = slices.slice(4);
    expect(afterRetry.length).toBeGreaterThan(4);
    // Right after the timeout at most 2; the limit climbs back one step after 8 acked slices.
    expect(Math.max(...afterRetry.slice(0, 4).map((s) => s.inFlight ?? 0))).toBe(2);
    expect(Math.max(...afterRetry.map((s) => s.inFlight ?? 0))).toBeLessThanOrEqual(3);
  });
});
