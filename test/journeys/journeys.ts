// What a user does with <vod-uploader>, written once and run in every engine: Chromium and Firefox
// through Playwright (test/e2e/user-journeys.spec.ts), WebKitGTK through WebDriver (test/webkit).
// Every check is on what the user sees (the rows, the notices) or on the real server's own counters
// (the sha it verified, the bytes it received), never on the product's claims about itself.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elementPageUrl } from '../e2e/helpers/element-page.js';
import { BUNDLE_PREFIX, startBundleServer, strictCsp } from '../e2e/helpers/bundle-server.js';
import { FaultServer, KiB, MiB, type FaultServerOptions } from '../e2e/helpers/fault-server.js';
import { makeTestFile, type TestFile } from '../e2e/helpers/files.js';
import { sleep, waitFor, type Engine, type UserDriver } from './driver.js';

export interface JourneyContext {
  driver: UserDriver;
  /** A protocol server for this journey (256 KiB slices unless told), stopped after it. */
  server(options?: Partial<FaultServerOptions>): Promise<FaultServer>;
  /** A random file on disk, deleted after the journey; `name` defaults to a unique `….mp4`. */
  file(size: number, name?: string): TestFile;
  /** Called after the journey, pass or fail (in reverse order). */
  cleanup(fn: () => unknown): void;
}

export interface Journey {
  name: string;
  timeoutMs: number;
  /** Engines where this journey cannot apply or waits on other work, with the reason. */
  skip?: Partial<Record<Engine, string>>;
  run(ctx: JourneyContext): Promise<void>;
}

/** Runs one journey with fresh resources and releases them whatever happens. */
export async function runJourney(journey: Journey, driver: UserDriver): Promise<void> {
  const cleanups: Array<() => unknown> = [];
  const dir = mkdtempSync(join(tmpdir(), 'vod-journey-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const ctx: JourneyContext = {
    driver,
    async server(options) {
      const s = await FaultServer.start({ sliceSize: 256 * KiB, ...options });
      cleanups.push(() => s.dispose());
      return s;
    },
    file(size, name) {
      return makeTestFile(size, { dir, name });
    },
    cleanup: (fn) => cleanups.push(fn),
  };
  try {
    await journey.run(ctx);
  } finally {
    for (const fn of cleanups.reverse()) await fn();
  }
}

const fileName = (f: TestFile): string => f.path.split(/[\\/]/).pop()!;

interface Row {
  name: string;
  status: string;
  text: string;
}

/** The element's rows as a user sees them: name, data-status, the status line. */
function rows(driver: UserDriver): Promise<Row[]> {
  return driver.run(() =>
    [...(document.querySelector('vod-uploader')?.shadowRoot?.querySelectorAll('[part=file]') ?? [])].map((li) => ({
      name: li.querySelector('.name')?.textContent?.trim() ?? '',
      status: li.getAttribute('data-status') ?? '',
      text: li.querySelector('[part=status]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
    })),
  );
}

/** The text of the element's shadow root outside the rows (notices, the unfinished-uploads panel). */
function panelText(driver: UserDriver, selector: string): Promise<string[]> {
  return driver.run(
    (sel) => [...(document.querySelector('vod-uploader')?.shadowRoot?.querySelectorAll(sel) ?? [])].map((n) => n.textContent!.replace(/\s+/g, ' ').trim()),
    selector,
  );
}

async function rowOf(driver: UserDriver, name: string): Promise<Row | undefined> {
  return (await rows(driver)).find((r) => r.name === name);
}

/** Waits until the row of `name` has `status` (fails at once on an error row, with its words). */
async function waitForStatus(driver: UserDriver, name: string, status: string, timeoutMs = 60_000): Promise<Row> {
  return waitFor(
    `${name} to be ${status}`,
    async () => {
      const row = await rowOf(driver, name);
      if (row?.status === 'error' && status !== 'error') throw new Error(`${name} failed: ${row.text}`);
      return row;
    },
    (row) => row?.status === status,
    timeoutMs,
  ) as Promise<Row>;
}

async function openElement(driver: UserDriver, server: FaultServer, extra: Record<string, string> = {}): Promise<void> {
  await driver.goto(elementPageUrl(server, extra));
  await driver.run(() => customElements.whenDefined('vod-uploader').then(() => true));
}

/** The bytes dropDataFile builds in the page: (i * 7) & 255. */
function droppedBytes(size: number): Buffer {
  return Buffer.from(new Uint8Array(size).map((_, i) => (i * 7) & 255));
}

/** Drops a file built in the page on the element (a real OS drag cannot be scripted in every driver). */
async function dropDataFile(driver: UserDriver, name: string, size: number, type = 'video/mp4'): Promise<void> {
  await driver.run(
    (n, length, t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(length).map((_, i) => (i * 7) & 255)], n, { type: t }));
      const el = document.querySelector('vod-uploader')!;
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
      return true;
    },
    name,
    size,
    type,
  );
}

/** The server completed `path` with the file's sha and received each of its bytes at least once. */
function assertOnServer(server: FaultServer, path: string, f: TestFile): void {
  const totals = server.pathTotals(path);
  assert.equal(totals.sha, f.sha1, `sha the server verified for ${path}`);
  assert.equal(totals.bytesReceived - totals.bytesDuplicate, f.size, `unique bytes the server received for ${path}`);
}

export const journeys: Journey[] = [
  {
    name: 'chosen files (1 B, 786433 B, 3 MiB + 17) upload; the server verified each sha',
    timeoutMs: 60_000,
    async run({ driver, server: serve, file }) {
      const server = await serve();
      const files = [file(1), file(786_433), file(3 * MiB + 17)];
      await openElement(driver, server, { folder: 'journey/chosen' });
      await driver.chooseFiles(files.map((f) => f.path));
      for (const f of files) {
        const row = await waitForStatus(driver, fileName(f), 'done');
        assert.match(row.text, /^Done/);
        assertOnServer(server, `/journey/chosen/${fileName(f)}`, f);
      }
    },
  },
  {
    name: 'a file dropped on the element uploads; the server verified its sha',
    timeoutMs: 60_000,
    async run({ driver, server: serve }) {
      const server = await serve();
      await openElement(driver, server);
      const name = `dropped-${Date.now()}.mp4`;
      await dropDataFile(driver, name, 700_001);
      await waitForStatus(driver, name, 'done');
      assert.equal(server.pathTotals(`/${name}`).sha, createHash('sha1').update(droppedBytes(700_001)).digest('hex'));
    },
  },
  {
    name: 'reload mid-upload, the file chosen again: it goes on, the server holds the right sha, little sent twice',
    timeoutMs: 90_000,
    async run({ driver, server: serve, file }) {
      const server = await serve();
      server.setFaults({ delayMs: 150 });
      const f = file(48 * server.sliceSize + 999);
      const name = fileName(f);
      const path = `/journey/reload/${name}`;
      await openElement(driver, server, { folder: 'journey/reload' });
      await driver.chooseFiles([f.path]);
      await waitFor('4 slices on the server', () => server.pathTotals(path).bytesReceived, (b) => b >= 4 * server.sliceSize);
      await driver.reload();
      await driver.run(() => customElements.whenDefined('vod-uploader').then(() => true));
      // The unfinished upload is offered from storage; where no file handle could be kept, it asks for the file.
      const offered = await waitFor('the unfinished upload to be offered', () => panelText(driver, '.restorable-item'), (t) => t.some((s) => s.includes(name)));
      assert.ok(offered.some((s) => s.includes(name)));
      server.setFaults({});
      await driver.chooseFiles([f.path]);
      await waitForStatus(driver, name, 'done');
      assertOnServer(server, path, f);
      // Only slices in flight at the reload may come twice (up to 6 lanes on a latency-bound link).
      assert.ok(server.pathTotals(path).bytesDuplicate <= 6 * server.sliceSize, `sent twice: ${server.pathTotals(path).bytesDuplicate} B`);
    },
  },
  {
    name: 'pause stops sending, resume finishes it; cancel stops another for good',
    timeoutMs: 90_000,
    async run({ driver, server: serve, file }) {
      const server = await serve();
      server.setFaults({ delayMs: 250 });
      const f = file(16 * server.sliceSize + 5);
      const name = fileName(f);
      await openElement(driver, server);
      await driver.chooseFiles([f.path]);
      await waitFor('bytes on the server', () => server.pathTotals(`/${name}`).bytesReceived, (b) => b > 0);
      await driver.clickButton(`Pause ${name}`);
      const paused = await waitForStatus(driver, name, 'paused');
      assert.equal(paused.text, 'Paused');
      await sleep(500); // requests in flight at the pause end
      const atPause = server.pathTotals(`/${name}`).bytesReceived;
      await sleep(1000);
      assert.equal(server.pathTotals(`/${name}`).bytesReceived, atPause, 'nothing sent while paused');
      assert.ok(atPause < f.size);
      server.setFaults({});
      await driver.clickButton(`Resume ${name}`);
      await waitForStatus(driver, name, 'done');
      assertOnServer(server, `/${name}`, f);

      server.setFaults({ delayMs: 300 });
      const other = file(12 * server.sliceSize);
      await driver.chooseFiles([other.path]);
      await waitForStatus(driver, fileName(other), 'uploading');
      await driver.clickButton(`Cancel ${fileName(other)}`);
      const cancelled = await waitForStatus(driver, fileName(other), 'cancelled');
      assert.equal(cancelled.text, 'Cancelled');
      await sleep(800);
      assert.equal(server.pathTotals(`/${fileName(other)}`).completed, 0);
    },
  },
  {
    name: 'a server that keeps failing: "Retrying in N s", then an error with its code; Retry finishes the upload',
    // Real timers: the engine's 8 backoff steps (full jitter, 0.5 s doubling to 30 s) take ~45 s on average.
    timeoutMs: 180_000,
    async run({ driver, server: serve, file }) {
      const server = await serve();
      server.setFaults({ errorRate: 1 });
      const f = file(2 * server.sliceSize + 99);
      const name = fileName(f);
      await openElement(driver, server);
      await driver.chooseFiles([f.path]);
      const retrying = await waitForStatus(driver, name, 'retrying');
      assert.match(retrying.text, /^Retrying in \d+ seconds?/);
      const failed = await waitForStatus(driver, name, 'error', 150_000);
      assert.match(failed.text, /^The upload server is having trouble\. Try again in a moment\. \(code -?[\w-]+\)$/);
      server.setFaults({});
      await driver.clickButton(`Retry ${name}`);
      await waitForStatus(driver, name, 'done');
      assertOnServer(server, `/${name}`, f);
    },
  },
  {
    name: 'injected 5xx and dropped connections: every file finishes, the server verified each sha',
    timeoutMs: 120_000,
    async run({ driver, server: serve, file }) {
      const server = await serve();
      server.setFaults({ errorRate: 0.15, dropRate: 0.1, delayMs: 50 });
      const files = [file(5 * MiB + 3), file(3 * MiB + 333), file(100_001)];
      await openElement(driver, server, { folder: 'journey/faults' });
      await driver.chooseFiles(files.map((f) => f.path));
      for (const f of files) await waitForStatus(driver, fileName(f), 'done', 100_000);
      for (const f of files) assertOnServer(server, `/journey/faults/${fileName(f)}`, f);
      const injected = (server.stats.rejected['http-500'] ?? 0) + (server.stats.rejected['http-503'] ?? 0) + (server.stats.rejected.dropped ?? 0);
      assert.ok(injected > 0, 'the faults really happened');
    },
  },
  {
    name: 'signatures that live 3 seconds are renewed, one request at a time: the upload never fails',
    timeoutMs: 90_000,
    async run({ driver, server: serve, file }) {
      const server = await serve({ signatureTtlSeconds: 3, sliceSize: 64 * KiB });
      // Slow enough that the upload outlives a few signatures (it takes over 5 s even on 6 lanes).
      server.setFaults({ delayMs: 150 });
      const f = file(200 * 64 * KiB + 1);
      const name = fileName(f);
      await openElement(driver, server);
      await driver.chooseFiles([f.path]);
      await waitForStatus(driver, name, 'done', 80_000);
      assertOnServer(server, `/${name}`, f);
      assert.ok(server.stats.signatureRequests >= 2, `renewed: ${server.stats.signatureRequests} signature requests`);
      assert.equal(server.stats.maxConcurrentSignatureRequests, 1, 'signature requests never overlap');
      // The server checks a signature after its 150 ms delay, so a slice sent just before a renewal may
      // meet an expired one (-96): it is renewed and re-sent. Nothing else may be refused.
      assert.deepEqual(Object.keys(server.stats.rejected).filter((code) => code !== '-96'), []);
    },
  },
  {
    name: 'bad picks get their messages (one summary notice for one pick): too large, not a video, empty, chosen twice, one too many; the good file and a name over 255 UTF-8 bytes upload',
    timeoutMs: 60_000,
    async run({ driver, server: serve, file }) {
      const server = await serve();
      await openElement(driver, server, { 'attr-max-size': '100000', 'attr-max-files': '2' });
      const good = file(5000);
      const picks = [good, file(100_001, 'big.mp4'), file(10, 'photo.png'), file(0, 'empty.mp4')];
      await driver.chooseFiles(picks.map((f) => f.path));
      await waitForStatus(driver, fileName(good), 'done');
      // The three refusals of one pick: one notice, the summary, each file's sentence in its disclosure.
      const notices = await waitFor('1 notice', () => panelText(driver, '.notice'), (n) => n.length === 1);
      assert.ok(notices[0]!.includes('3 files were not added: 1 not of an accepted type, 1 over 97.7 KB, and 1 empty.'), notices[0]);
      assert.ok(notices[0]!.includes('“big.mp4” is 100,001 B; the limit is 100,000 B.'), notices[0]);
      assert.ok(notices[0]!.includes('“photo.png” is not an accepted type (video/*).'), notices[0]);
      assert.ok(notices[0]!.includes('“empty.mp4” is empty (0 bytes)'), notices[0]);
      await driver.chooseFiles([good.path]);
      const twice = await waitFor('a 2nd notice', () => panelText(driver, '.notice'), (n) => n.length === 2);
      assert.ok(twice[1]!.includes(`“${fileName(good)}” is already in the list.`), twice[1]);
      // 266 bytes in UTF-8: more than a file system takes, so the file is built in the page and dropped.
      // The protocol has no byte limit on names: it uploads, and the server holds it under that name.
      const longName = `x-${'é'.repeat(130)}.mp4`;
      await dropDataFile(driver, longName, 100);
      await waitForStatus(driver, longName, 'done');
      assert.equal(server.pathTotals(`/${longName}`).sha, createHash('sha1').update(droppedBytes(100)).digest('hex'));
      await driver.chooseFiles([file(10).path]);
      const more = await waitFor('a 3rd notice', () => panelText(driver, '.notice'), (n) => n.length === 3);
      assert.ok(more[2]!.includes('at most 2 files'), more[2]);
      assert.equal((await rows(driver)).length, 2, 'the good file and the long name: max-files is 2');
    },
  },
  {
    name: 'axe-core finds no accessibility violations: idle, uploading, done',
    timeoutMs: 60_000,
    async run({ driver, server: serve, file }) {
      const server = await serve();
      const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
      await openElement(driver, server);
      const check = async (when: string): Promise<void> => {
        const violations = await driver.run((src) => {
          const w = window as unknown as { axe?: { run(ctx: Document, o: object): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } };
          // Injected as a script element: the test page has no CSP.
          if (!w.axe) {
            const s = document.createElement('script');
            s.textContent = src;
            document.head.append(s);
          }
          return w.axe!.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => `${v.id} (${v.nodes.length})`));
        }, axeSource);
        assert.deepEqual(violations, [], `axe violations ${when}`);
      };
      await check('when idle');
      server.setFaults({ delayMs: 300 });
      const f = file(8 * server.sliceSize);
      await driver.chooseFiles([f.path]);
      await waitForStatus(driver, fileName(f), 'uploading');
      await check('while uploading');
      server.setFaults({});
      await waitForStatus(driver, fileName(f), 'done');
      await check('when done');
    },
  },
  {
    name: 'the bundle on a plain page under the strict CSP uploads to another origin; only the poster frame is refused',
    timeoutMs: 120_000,
    async run({ driver, server: serve, file, cleanup }) {
      const server = await serve();
      const bundle = await startBundleServer(strictCsp(server.url));
      cleanup(() => bundle.close());
      const q = new URLSearchParams({ endpoint: server.endpoint, signatureUrl: server.signatureUrl, appid: server.appid, bucket: server.bucket });
      await driver.goto(`${bundle.origin}${BUNDLE_PREFIX}?${q}`);
      await driver.run(() => customElements.whenDefined('vod-uploader').then(() => true));
      const f = file(3 * server.sliceSize + 17);
      await driver.chooseFiles([f.path]);
      await waitForStatus(driver, fileName(f), 'done');
      assertOnServer(server, `/${fileName(f)}`, f);
      const workers = bundle.requested.filter((p) => /hash\.worker.*\.js$/.test(p));
      assert.ok(workers.length > 0 && workers.every((p) => p.startsWith(`${BUNDLE_PREFIX}assets/`)), `worker from beside the bundle: ${workers}`);
      const violations = await driver.run(() => (window as unknown as { cspViolations: string[] }).cspViolations);
      assert.deepEqual(violations.filter((v) => v !== 'media-src blob'), []);
      const border = await driver.run(() => getComputedStyle(document.querySelector('vod-uploader')!.shadowRoot!.querySelector('[part=dropzone]')!).borderStyle);
      assert.equal(border, 'dashed', 'adopted stylesheets apply under style-src self');
    },
  },
];
