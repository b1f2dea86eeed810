// Fault injection, the server session and slow answers: the server forgets the session (-94) or says
// a slice has none (-95), answers -4019 to a page that lost its stored session, and slices take
// longer than the client's request timeout. Real Chromium,
// the real demo server on another origin; assertions on what the server saw.
import type { Browser, Page } from '@playwright/test';
import { elementPageUrl } from './helpers/element-page.js';
import type { TestFile } from './helpers/files.js';
import { expect, hashJobs, KiB, probeHashJobs, suiteResources, test, type FaultServer } from './helpers/faults.js';

const CONCURRENCY = 3;

test.describe('session and timeout faults', () => {
  test.describe.configure({ mode: 'parallel' });
  const resources = suiteResources();
  const make = (size: number): TestFile => resources.file(size);
  const serve = (): Promise<FaultServer> => resources.server({ sliceSize: 256 * KiB });
  const open = async (page: Page, server: FaultServer, dir: string, file: TestFile): Promise<string> => {
    await probeHashJobs(page);
    await page.goto(elementPageUrl(server, { folder: dir }));
    await page.evaluate(() => customElements.whenDefined('vod-uploader'));
    await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
    return `/${dir}/${file.path.split(/[\\/]/).pop()}`;
  };

  test('the server forgets the session mid-upload (-94): a new session from the stored sha, no re-hash, completes', async ({ page }) => {
    const server = await serve();
    server.setFaults({ delayMs: 150 });
    const file = make(40 * server.sliceSize + 99);
    const path = await open(page, server, 'forget', file);
    await expect.poll(() => server.stats.paths[path]?.bytesReceived ?? 0).toBeGreaterThanOrEqual(8 * server.sliceSize);
    expect(await hashJobs(page)).toBe(1);
    const createsBefore = server.stats.paths[path]!.createRequests;

    await server.forgetSessions();
    const before = server.stats.paths[path]!.bytesReceived;
    await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done', { timeout: 40_000 });
    const p = server.stats.paths[path]!;
    expect(p.sha).toBe(file.sha1);
    expect(server.stats.rejected['-94'] ?? 0).toBeGreaterThan(0);
    expect(p.createRequests).toBeGreaterThan(createsBefore);
    // The forgotten bytes went again into the new session (the server kept none of them).
    expect(p.bytesReceived - p.bytesDuplicate).toBe(file.size + before);
    // The sha came from the stored session: the worker hashed the file once, before the forgetting.
    expect(await hashJobs(page)).toBe(1);
  });

  test('a slice answered "no session" (-95): the upload starts a session again from the stored sha, no re-hash, completes', async ({ page }) => {
    const server = await serve();
    server.setFaults({ delayMs: 150 });
    const file = make(24 * server.sliceSize + 1);
    const name = file.path.split(/[\\/]/).pop()!;
    // The demo server answers -95 only to a slice without a session, which this client never sends:
    // the sixth upload request of the file (a slice) gets that answer instead of reaching the server.
    let posts = 0;
    let answered95 = 0;
    await page.route(`${server.endpoint}/**/${name}`, async (route) => {
      if (route.request().method() !== 'POST' || ++posts !== 6) return route.continue();
      answered95++;
      await route.fulfill({
        status: 200,
        headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: -95, message: 'ERROR_SESSION_MISSING: injected', data: {} }),
      });
    });
    const path = await open(page, server, 'no-session', file);
    await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done', { timeout: 40_000 });
    expect(answered95).toBe(1);
    const p = server.stats.paths[path]!;
    expect(p.sha).toBe(file.sha1);
    expect(p.createRequests).toBeGreaterThanOrEqual(2);
    expect(p.bytesReceived - p.bytesDuplicate).toBe(file.size);
    expect(p.bytesDuplicate).toBeLessThanOrEqual(server.maxOpen(path) * server.sliceSize);
    expect(await hashJobs(page)).toBe(1);
  });

  /** A page whose first upload of `file` stopped with the page: the server keeps the session, unfinished. */
  const leaveUnfinished = async (page: Page, server: FaultServer, dir: string, file: TestFile): Promise<string> => {
    server.setFaults({ delayMs: 150 });
    const path = await open(page, server, dir, file);
    await expect.poll(() => server.stats.paths[path]?.bytesReceived ?? 0, { intervals: [50] }).toBeGreaterThanOrEqual(6 * server.sliceSize);
    // Requests from now on stall until the page is gone: the file cannot finish before it closes.
    server.setFaults({ delayMs: 10_000 });
    await page.close();
    expect(server.stats.paths[path]!.completed).toBe(0);
    return path;
  };
  /** A fresh browser profile (nothing stored), as on another computer or after clearing site data. */
  const freshPage = async (browser: Browser): Promise<Page> => {
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    await context.routeWebSocket(/.*/, () => undefined); // as the suite's fixture: no Vite reloads
    return context.newPage();
  };

  for (const mode of ['with-session', 'without-session'] as const) {
    test(`-4019 ${mode} to a page that knows no session: ${mode === 'with-session' ? 'goes on with it, sends only the rest' : 'one first request, then an error that says why'}`, async ({ page, browser }) => {
      const server = await serve();
      const file = make(60 * server.sliceSize + 5);
      const path = await leaveUnfinished(page, server, `unfinished-${mode}`, file);
      const received = server.stats.paths[path]!.bytesReceived;
      const creates = server.stats.paths[path]!.createRequests;
      server.setFaults({ unfinished: mode });
      const second = await freshPage(browser);
      await open(second, server, `unfinished-${mode}`, file);
      const row = second.locator('vod-uploader [part=file]');
      const p = (): NonNullable<(typeof server.stats.paths)[string]> => server.stats.paths[path]!;
      if (mode === 'with-session') {
        await expect(row).toHaveAttribute('data-status', 'done', { timeout: 40_000 });
        expect(p().sha).toBe(file.sha1);
        expect(server.stats.rejected['-4019']).toBe(1);
        // The bytes of the first page were kept: the second sent about the rest only.
        expect(p().bytesReceived - received).toBeLessThanOrEqual(file.size - received + server.maxOpen(path) * server.sliceSize);
        expect(p().bytesReceived - p().bytesDuplicate).toBe(file.size);
      } else {
        await expect(row).toHaveAttribute('data-status', 'error', { timeout: 20_000 });
        await expect(row.locator('[part=status]')).toContainText('not which upload session');
        expect(p().createRequests - creates).toBe(1);
        expect(p().completed).toBe(0);
      }
      await second.context().close();
    });
  }

  test('slices slower than the request timeout: timeouts are retried, concurrency drops to one, completes', async ({ page }) => {
    const server = await serve();
    const slice = server.sliceSize;
    const file = make(30 * slice + 7);
    const name = file.path.split(/[\\/]/).pop()!;
    const path = `/slow/${name}`;
    // The element has no timeout setting; the engine's protocol client has (timeoutMs), so this test
    // drives the engine with the real browser adapters: a 1.5 s timeout against 2.5 s slices.
    server.setFaults({ slowSliceMs: 2500 });
    const q = new URLSearchParams({ endpoint: server.endpoint, signatureUrl: server.signatureUrl, appid: server.appid, bucket: server.bucket, dir: 'slow', timeoutMs: '1500', concurrency: String(CONCURRENCY) });
    await page.goto(`/test/e2e/pages/faults-engine.html?${q}`);
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    await page.locator('#files').setInputFiles(file.path);

    const slices = (): typeof server.requests => server.requests.filter((r) => r.path === path && r.bodyBytes > slice / 2);
    const timedOut = (): typeof server.requests => slices().filter((r) => r.end !== undefined && r.status === undefined);
    // A first round of three, then at least one round alone, cut by the client's timeout.
    await expect.poll(() => timedOut().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(CONCURRENCY + 1);
    server.setFaults({});
    const firstTimeout = Math.min(...timedOut().map((r) => r.end!));
    expect(server.maxOpen(path, 0, firstTimeout, slice / 2)).toBe(CONCURRENCY);

    await expect.poll(() => page.evaluate(() => window.faultEngine.uploads()[0]?.status), { timeout: 40_000 }).toBe('done');
    const lastTimeout = Math.max(...timedOut().map((r) => r.end!));
    const after = slices().filter((r) => r.start > lastTimeout);
    // After the timeouts the slices go one at a time (the limit steps up again only after 8 acks).
    expect(after.length).toBeGreaterThanOrEqual(6);
    expect(after.slice(0, 6).map((r) => r.openAtStart)).toEqual([1, 1, 1, 1, 1, 1]);
    const retries = await page.evaluate(() => window.faultEngine.events.filter((e) => e.type === 'retry').map((e) => e.kind));
    expect(retries).toContain('timeout');
    const p = server.stats.paths[path]!;
    expect(p.sha).toBe(file.sha1);
    expect(p.bytesReceived - p.bytesDuplicate).toBe(file.size);
    // Timed-out slices were stored: re-sending them is the price, at most the slices of each cut round.
    expect(p.bytesDuplicate).toBeLessThanOrEqual(slice * timedOut().length);
  });
});
