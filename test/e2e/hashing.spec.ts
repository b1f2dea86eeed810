// The hashing worker in real Chromium with real files (setInputFiles): SHA-1 against node:crypto,
// progress throttling, abort, checkpoint → resume, the sampled fingerprint, worker reuse and idle
// termination, a stream read surviving garbage collection, and hash-wasm under a strict CSP.
// `VOD_HASH_BENCH=1` adds the speed measurement.
import { copyFileSync, openSync, readSync, rmSync, utimesSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { BLOCK_SIZE, CHECKPOINT_EVERY, PROGRESS_INTERVAL_MS } from '../../src/hashing/hash-core.js';
import { makeTestFile, type TestFile } from './helpers/files.js';
import { openTestPage } from './helpers/test-page.js';

const MiB = 1024 * 1024;
const EMPTY_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';

/**
 * Opens the page and runs one tiny job so the worker and its imports are loaded (a reload by Vite's
 * dependency optimizer, here meeting hash-wasm inside the worker, is retried by openTestPage).
 */
async function openPage(page: Page, files: string[], query = ''): Promise<void> {
  await openTestPage(page, `/test/e2e/pages/hashing.html${query}`, () =>
    page.evaluate(() => window.hashing.bytesSha1([1]).catch(() => null)), // (fails under a strict CSP)
  );
  await page.locator('#files').setInputFiles(files);
}

test.describe('WorkerHasher', () => {
  const files: TestFile[] = [];
  const make = (size: number, seed?: number): TestFile => {
    const f = makeTestFile(size, { seed });
    files.push(f);
    return f;
  };
  test.afterAll(() => files.forEach((f) => f.cleanup()));

  test('SHA-1 equals node:crypto at the block boundaries and for 100 MiB + 3', async ({ page }) => {
    const sized = [0, 1, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE + 1, 100 * MiB + 3].map((s) => make(s));
    await openPage(page, sized.map((f) => f.path));
    for (const [i, f] of sized.entries()) {
      const run = await page.evaluate((n) => window.hashing.sha1(n), i);
      expect(run.error, `size ${f.size}`).toBeUndefined();
      expect(run.sha, `size ${f.size}`).toBe(f.sha1);
      expect(run.progress.at(-1)?.bytes, `final progress, size ${f.size}`).toBe(f.size);
    }
    expect(sized[0]!.sha1).toBe(EMPTY_SHA1);
    // The main-thread fallback agrees on the odd size.
    const main = await page.evaluate(() => window.hashing.sha1(5, { main: true }));
    expect(main.sha).toBe(sized[5]!.sha1);
  });

  test('a file changed on disk after it was chosen: the specific unreadable-file error, from either reader', async ({ page, browserName }) => {
    test.skip(
      browserName === 'firefox',
      "Firefox's File is no snapshot: after a same-size change on disk it reads the new bytes and keeps the old size and lastModified, so there is no error to see",
    );
    // Chromium's stream read says only "TypeError: network error"; hash-core then reads the same byte
    // with arrayBuffer(), which names the cause (NotReadableError).
    const f = make(8 * MiB, 41);
    const copy = join(tmpdir(), `vod-changed-${process.pid}-${Date.now()}.bin`);
    copyFileSync(f.path, copy);
    try {
      await openPage(page, [copy]);
      // Chromium takes a File's snapshot (size, modification time) lazily, on first use; the element
      // uses it at once (validation, the sampled fingerprint). Without this, the snapshot could be
      // taken after the change below, and the changed file would read as a valid one (seen in CI).
      await page.evaluate(() => window.hashing.sample(0));
      flipByte(copy, 0);
      utimesSync(copy, new Date(), new Date(Date.now() + 10_000)); // a new modification time, as any editor leaves
      for (const main of [false, true]) {
        const run = await page.evaluate((m) => window.hashing.sha1(0, { main: m }), main);
        expect(run.sha, main ? 'main thread' : 'worker').toBeUndefined();
        expect(run.error, main ? 'main thread' : 'worker').toMatchObject({ kind: 'file', code: 'file-unreadable' });
      }
    } finally {
      rmSync(copy, { force: true });
    }
  });

  test('progress is throttled, several per second, and ends at the size', async ({ page }) => {
    const f = make(200 * MiB + 5);
    await openPage(page, [f.path]);
    const run = await page.evaluate(() => window.hashing.sha1(0));
    expect(run.sha).toBe(f.sha1);
    const times = run.progress.map((p) => p.t);
    const bytes = run.progress.map((p) => p.bytes);
    expect(bytes.at(-1)).toBe(f.size);
    expect([...bytes].sort((a, b) => a - b)).toEqual(bytes);
    // Throttled: the worker reports at most once per PROGRESS_INTERVAL_MS (+ the start and the end).
    // Counted, not measured gap by gap: a busy main thread may receive two reports close together.
    expect(run.progress.length).toBeLessThanOrEqual(Math.ceil(run.ms / PROGRESS_INTERVAL_MS) + 2);
    expect(run.progress.length).toBeLessThan(f.size / BLOCK_SIZE); // fewer reports than blocks
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // ... and as soon as a block completes after the interval: a gap is at most the interval plus
    // about one block's time (x3 and +100 ms for jitter: other test runs share the 2 cores).
    const blockMs = run.ms / (f.size / BLOCK_SIZE);
    const bound = PROGRESS_INTERVAL_MS + 3 * blockMs + 100;
    // One gap may be longer: a file this big goes through the reader probe, whose worker hands the
    // job to a fresh one (hasher.ts, the handoff), and a worker's start (module, WebAssembly) took up
    // to 550 ms under CI load. Every other gap is within the bound.
    const [longest, ...rest] = [...gaps].sort((a, b) => b - a);
    expect(rest.length).toBeGreaterThan(3);
    expect(Math.max(...rest)).toBeLessThan(bound);
    expect(longest).toBeLessThan(bound + 1000);
  });

  test('abort rejects at once and the worker stops reporting', async ({ page }) => {
    const f = make(200 * MiB);
    await openPage(page, [f.path]);
    const result = await page.evaluate(() => window.hashing.abortDuring(0, 8 * 1024 * 1024));
    expect(result.error?.kind).toBe('aborted');
    expect(result.rejectMs).toBeGreaterThanOrEqual(0);
    // "At once": the promise rejects inside abort(), not when the worker answers. 400 ms, because
    // on a loaded 2-core machine the page's event loop lagged 193 ms; the rest of the file (192 MiB)
    // takes longer than that to hash in any engine here, so waiting for the worker still fails.
    expect(result.rejectMs).toBeLessThan(400);
    expect(result.progressAfterAbort).toBe(0);
    // The worker is free again: a new job finishes with the right sha.
    const run = await page.evaluate(() => window.hashing.sha1(0));
    expect(run.sha).toBe(f.sha1);
  });

  test('a checkpoint at 256 MiB resumes to the same SHA-1, hashing only the rest', async ({ page }) => {
    // Exactly on the interval whatever the reader's read sizes (Firefox's BYOB reads are not
    // block-aligned: 57344 B first), since hash-core hashes a read in parts around a boundary.
    const f = make(CHECKPOINT_EVERY + 20 * MiB + 7);
    await openPage(page, [f.path]);
    const full = await page.evaluate(() => window.hashing.sha1(0));
    expect(full.sha).toBe(f.sha1);
    expect(full.checkpoints.map((c) => c.offset)).toEqual([CHECKPOINT_EVERY]);
    const checkpoint = full.checkpoints[0]!;
    expect(checkpoint.offset % BLOCK_SIZE).toBe(0);

    const resumed = await page.evaluate((from) => window.hashing.sha1(0, { from }), checkpoint);
    expect(resumed.sha).toBe(f.sha1);
    expect(resumed.progress[0]!.bytes).toBe(CHECKPOINT_EVERY);
    expect(Math.min(...resumed.progress.map((p) => p.bytes))).toBe(CHECKPOINT_EVERY);
    expect(resumed.ms).toBeLessThan(full.ms / 2);
    expect(resumed.checkpoints).toEqual([]);
  });

  test('sample() is stable for the same content and changes with a middle byte', async ({ page }) => {
    const a = make(64 * MiB + 11, 42);
    const same = make(64 * MiB + 11, 42); // another file, same bytes
    const dir = tmpdir();
    const changed = join(dir, `vod-test-changed-${Date.now()}.mp4`);
    const unsampled = join(dir, `vod-test-unsampled-${Date.now()}.mp4`);
    copyFileSync(a.path, changed);
    copyFileSync(a.path, unsampled);
    files.push({ ...a, path: changed, cleanup: () => rmSync(changed, { force: true }) });
    files.push({ ...a, path: unsampled, cleanup: () => rmSync(unsampled, { force: true }) });
    flipByte(changed, Math.floor(a.size / 2));
    flipByte(unsampled, Math.floor(a.size / 8)); // between the start range and the quarter range

    await openPage(page, [a.path, same.path, changed, unsampled]);
    const first = await page.evaluate(() => window.hashing.sampleTimed(0));
    const samples = await page.evaluate(async () => [
      await window.hashing.sample(0),
      await window.hashing.sample(1),
      await window.hashing.sample(2),
      await window.hashing.sample(3),
      await window.hashing.sample(0, true),
    ]);
    expect(samples[0]).toBe(first.sha);
    expect(samples[1]).toBe(first.sha);
    expect(samples[2]).not.toBe(first.sha);
    expect(samples[3]).toBe(first.sha); // a sample, not a whole-file hash: documented
    expect(samples[4]).toBe(first.sha); // worker and main thread agree
    expect(first.ms).toBeLessThan(500);
  });

  test('sliceSha1 hashes one blob', async ({ page }) => {
    const f = make(3 * MiB);
    await openPage(page, [f.path]);
    expect(await page.evaluate(() => window.hashing.bytesSha1([]))).toBe(EMPTY_SHA1);
    expect(await page.evaluate(() => window.hashing.bytesSha1([...new TextEncoder().encode('abc')]))).toBe(
      'a9993e364706816aba3e25717850c26c9cd0d89d',
    );
    expect(await page.evaluate(() => window.hashing.sliceSha1(0, 0, 3 * 1024 * 1024))).toBe(f.sha1);
  });

  test('one worker serves many jobs, ends when idle, and comes back on demand', async ({ page }) => {
    const small = [make(1000), make(2 * MiB), make(5 * MiB)];
    const workers: Array<{ closed: boolean }> = [];
    page.on('worker', (w) => {
      const entry = { closed: false };
      workers.push(entry);
      w.on('close', () => (entry.closed = true));
    });
    await openPage(page, small.map((f) => f.path), '?idle=800');
    const shas = await page.evaluate(async () => {
      const parallel = await Promise.all([window.hashing.sha1(0), window.hashing.sha1(1), window.hashing.sample(2)]);
      const next = await window.hashing.sha1(2);
      return [parallel[0].sha, parallel[1].sha, next.sha];
    });
    expect(shas).toEqual(small.map((f) => f.sha1));
    expect(workers).toHaveLength(1);
    expect(workers[0]!.closed).toBe(false);
    await expect.poll(() => workers[0]!.closed, { timeout: 5000 }).toBe(true);
    const again = await page.evaluate(() => window.hashing.sha1(0));
    expect(again.sha).toBe(small[0]!.sha1);
    expect(workers).toHaveLength(2);
  });
});

test('a stream read waiting for the file survives a GC: the job settles (issue 12)', async ({ playwright, browserName, launchOptions, baseURL }) => {
  test.skip(browserName !== 'chromium', "forcing a GC needs V8's --expose-gc; the bug was seen in Chromium");
  // Without the fix (file-readers.ts, streamsBeingRead) Chromium collected the stream with its pending
  // read and hashBlob never settled, in every such run here (not one in three as after an abort).
  // A browser of its own: --expose-gc gives every context, the test worker's too, V8's gc().
  const browser = await playwright.chromium.launch({ ...launchOptions, args: [...(launchOptions.args ?? []), '--js-flags=--expose-gc'] });
  const f = makeTestFile(48 * MiB + 5);
  try {
    const page = await browser.newPage({ baseURL });
    await openPage(page, [f.path]);
    for (const reader of ['stream', undefined, 'blocks'] as const) {
      const result = await page.evaluate((r) => window.hashing.sha1UnderGc(0, r), reader);
      expect(result, reader ?? 'the probe').toEqual({ sha: f.sha1 });
    }
  } finally {
    f.cleanup();
    await browser.close();
  }
});

test.describe('hash-wasm under a Content Security Policy', () => {
  const policy = (script: string): string => `default-src 'self'; script-src ${script}; connect-src 'self' ws:`;

  /** Serves the test page and the worker with the policy as a header (the worker gets its own CSP). */
  async function withPolicy(page: Page, csp: string): Promise<void> {
    await page.route(/\/test\/e2e\/pages\/hashing\.html|hash\.worker\.ts/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
    });
  }

  test("works with script-src 'self' 'wasm-unsafe-eval' (no 'unsafe-eval')", async ({ page }) => {
    const f = makeTestFile(3 * MiB + 1);
    try {
      const violations: string[] = [];
      page.on('console', (m) => m.text().includes('Content Security Policy') && violations.push(m.text()));
      await withPolicy(page, policy("'self' 'wasm-unsafe-eval'"));
      await openPage(page, [f.path]);
      expect((await page.evaluate(() => window.hashing.sha1(0))).sha).toBe(f.sha1);
      expect((await page.evaluate(() => window.hashing.sha1(0, { main: true }))).sha).toBe(f.sha1);
      expect(violations).toEqual([]);
    } finally {
      f.cleanup();
    }
  });

  test("fails clearly without 'wasm-unsafe-eval' (hash-wasm compiles WASM at run time)", async ({ page }) => {
    const f = makeTestFile(1000);
    try {
      await withPolicy(page, policy("'self'"));
      await openPage(page, [f.path]);
      const worker = await page.evaluate(() => window.hashing.sha1(0));
      const main = await page.evaluate(() => window.hashing.sha1(0, { main: true }));
      expect(worker.sha).toBeUndefined();
      // Not the file's fault: its own kind, so the element says so and offers Retry.
      expect(worker.error).toMatchObject({ kind: 'hashing-unavailable', code: 'hashing-unavailable' });
      expect(main.error).toMatchObject({ kind: 'hashing-unavailable', code: 'hashing-unavailable' });
    } finally {
      f.cleanup();
    }
  });
});

test.describe('speed', () => {
  test.skip(!process.env.VOD_HASH_BENCH, 'measurement: set VOD_HASH_BENCH=1');
  test.setTimeout(600_000);

  test('worker loop vs read-then-hash vs in-memory kernel', async ({ page }) => {
    // Interleaved rounds, each with its own kernel figure: other processes share the 2 cores, so
    // only figures from the same moment compare.
    const sizeMiB = Number(process.env.VOD_HASH_BENCH_MIB ?? 512);
    const rounds = Number(process.env.VOD_HASH_BENCH_ROUNDS ?? 3);
    const f = makeTestFile(sizeMiB * MiB);
    try {
      await openPage(page, [f.path]);
      // readAhead -1 = the stream reader (BYOB, one buffer of blockMiB); otherwise the blocks reader.
      const configs: Array<[blockMiB: number, readAhead: number]> = [
        [4, 0], [4, 3], [8, 3], [1, -1], [2, -1], [4, -1],
      ];
      const results = new Map<string, { mibps: number[]; ratio: number[] }>();
      const record = (name: string, mibps: number, kernel: number): void => {
        const r = results.get(name) ?? { mibps: [], ratio: [] };
        r.mibps.push(mibps);
        r.ratio.push(mibps / kernel);
        results.set(name, r);
      };
      await page.evaluate((i) => window.hashing.tuned(i, {}), 0); // warm the page cache and the worker code
      for (let round = 0; round < rounds; round++) {
        const kernel = await page.evaluate(() => window.hashing.kernel(256));
        record('kernel (in-memory buffer, 4 MiB updates)', kernel, kernel);
        for (const [blockMiB, readAhead] of configs) {
          const { mibps, sha } = await page.evaluate(
            ([b, d]) =>
              window.hashing.tuned(0, d < 0 ? { reader: 'stream', blockSize: b * 1048576 } : { reader: 'blocks', blockSize: b * 1048576, readAhead: d }),
            [blockMiB, readAhead] as const,
          );
          expect(sha).toBe(f.sha1);
          const name =
            readAhead < 0 ? `stream, ${blockMiB} MiB buffer` : readAhead === 0 ? `read-then-hash, ${blockMiB} MiB blocks` : `blocks, ${blockMiB} MiB, read-ahead ${readAhead}`;
          record(name, mibps, kernel);
        }
        const defaults = await page.evaluate(() => window.hashing.sha1(0));
        record('WorkerHasher defaults', f.size / MiB / (defaults.ms / 1000), kernel);
      }
      const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const rows = [...results].map(
        ([name, r]) => `${name}: median ${median(r.mibps).toFixed(0)} MiB/s (${r.mibps.map((x) => x.toFixed(0)).join(', ')}), ${median(r.ratio).toFixed(2)}x kernel`,
      );
      console.log(`\n${sizeMiB} MiB file, ${rounds} rounds\n${rows.join('\n')}`);
    } finally {
      f.cleanup();
    }
  });
});

function flipByte(path: string, at: number): void {
  const fd = openSync(path, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, at);
    b[0] = b[0]! ^ 0xff;
    writeSync(fd, b, 0, 1, at);
  } finally {
    closeSync(fd);
  }
}
