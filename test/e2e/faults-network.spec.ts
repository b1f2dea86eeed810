// Fault injection, the network: failing and dropped requests with added latency, the browser going
// offline, and the server process restarting mid-upload. Real Chromium, the real demo server on
// another origin (CORS is real). What is asserted is what the server saw: every file complete with
// the right SHA-1 (the server checks it), and bytes it had acknowledged never sent again beyond
// what was in flight when something broke: bytesDuplicate ≤ (slices the server saw in flight at
// once) × slice size per break. The element asks for 3; the engine may go up to 6 when latency-bound.
import type { Page } from '@playwright/test';
import type { TestFile } from './helpers/files.js';
import { elementPageUrl, recordedEvents } from './helpers/element-page.js';
import { expect, firstUpload, KiB, MiB, suiteResources, test, type FaultServer, type FaultServerOptions } from './helpers/faults.js';

async function openElement(page: Page, server: FaultServer, dir: string): Promise<void> {
  await page.goto(elementPageUrl(server, { folder: dir }));
  await page.evaluate(() => customElements.whenDefined('vod-uploader'));
}

test.describe('network faults', () => {
  const resources = suiteResources();
  const make = (size: number, seed?: number): TestFile => resources.file(size, seed);
  const serve = (sliceSize: number, extra: Omit<FaultServerOptions, 'sliceSize'> = {}): Promise<FaultServer> =>
    resources.server({ sliceSize, ...extra });

  test('10% 500/503, 5% dropped mid-body, 200 ms latency: 20 files from 0 B to 300 MiB complete, sha checked, little re-sent', async ({
    page,
    context,
  }) => {
    test.setTimeout(180_000);
    const server = await serve(4 * MiB);
    const slice = server.sliceSize;
    // Mostly small and odd sizes around the slice boundaries, a few tens of MiB, one of 300 MiB.
    const sizes = [
      1, 2, 17, 1000, 4095, 65_537, 256 * KiB - 1, MiB + 3, slice - 1, slice, slice + 1, 2 * slice + 12_345, 9 * MiB + 7,
      3 * slice, 17 * MiB + 5, 24 * MiB + 1, 33 * MiB - 9, 300 * MiB,
    ];
    const chosen = sizes.map((size, i) => make(size, 1000 + i));
    const empty = make(0, 7);
    const dir = 'faults-1';
    server.setFaults({ errorRate: 0.1, dropRate: 0.05, delayMs: 200 });

    const host = page.locator('vod-uploader');
    await openElement(page, server, dir);
    // The element refuses an empty file by design (validation): said in a notice and an event.
    await page.locator('vod-uploader [part=input]').setInputFiles([empty.path, ...chosen.map((f) => f.path)]);
    await expect(host.locator('.notice')).toContainText('is empty (0 bytes)');
    expect((await recordedEvents(page)).filter((e) => e.type === 'vod-upload-reject').map((e) => e.reason)).toEqual(['empty']);
    await expect(host.locator('[part=file]')).toHaveCount(chosen.length);

    // So the 0-byte file goes through the engine itself, with the same browser adapters, meanwhile.
    const enginePage = await context.newPage();
    const q = new URLSearchParams({ endpoint: server.endpoint, signatureUrl: server.signatureUrl, appid: server.appid, bucket: server.bucket, dir });
    await enginePage.goto(`/test/e2e/pages/faults-engine.html?${q}`);
    await expect(enginePage.locator('body')).toHaveAttribute('data-ready', 'true');
    await enginePage.locator('#files').setInputFiles(empty.path);
    await expect.poll(() => enginePage.evaluate(() => window.faultEngine.uploads()[0]?.status), { timeout: 60_000 }).toBe('done');

    await expect
      .poll(async () => (await host.locator('[part=file][data-status=done]').count()) + (await host.locator('[part=file][data-status=error]').count()), {
        timeout: 170_000,
        intervals: [1000],
      })
      .toBe(chosen.length);
    // None gave up: an error row would say why, but under transient faults every file must finish.
    await expect(host.locator('[part=file][data-status=error] [part=status]')).toHaveCount(0);

    const name = (f: TestFile): string => f.path.split(/[\\/]/).pop()!;
    for (const f of [empty, ...chosen]) {
      const done = server.stats.completedFiles.find((c) => c.path === `/${dir}/${name(f)}`);
      expect(done, `${f.size} B completed on the server`).toMatchObject({ sha: f.sha1, size: f.size });
      const p = server.stats.paths[`/${dir}/${name(f)}`]!;
      // Every byte arrived exactly once, apart from duplicates (bounded below).
      if (!done!.instant) expect(p.bytesReceived - p.bytesDuplicate, `${f.size} B`).toBe(f.size);
    }
    const injected = (server.stats.rejected['http-500'] ?? 0) + (server.stats.rejected['http-503'] ?? 0);
    const dropped = server.stats.rejected.dropped ?? 0;
    // The faults really happened (else this test proves nothing).
    expect(injected).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(0);
    // In flight at once: the element's 3, which the engine may raise up to 6 on a latency-bound link.
    const inFlight = Math.max(...chosen.map((f) => server.maxOpen(`/${dir}/${name(f)}`)));
    expect(inFlight).toBeLessThanOrEqual(6);
    expect(server.stats.total.bytesDuplicate).toBeLessThanOrEqual(inFlight * slice * (injected + dropped));
    test.info().annotations.push({
      type: 'measured',
      description: `requests ${server.stats.total.requests}, injected 5xx ${injected}, dropped ${dropped}, duplicate bytes ${server.stats.total.bytesDuplicate}`,
    });
  });

  test('offline mid-upload: paused (offline), nothing sent while offline, goes on by itself when back online', async ({ page, context }) => {
    const server = await serve(256 * KiB);
    const slice = server.sliceSize;
    const file = make(40 * slice + 777);
    const path = `/offline/${file.path.split(/[\\/]/).pop()}`;
    server.setFaults({ delayMs: 150 });
    await openElement(page, server, 'offline');
    await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
    await expect.poll(() => server.pathTotals(path).bytesReceived, { timeout: 30_000 }).toBeGreaterThanOrEqual(6 * slice);

    await context.setOffline(true);
    const row = page.locator('vod-uploader [part=file]');
    await expect(row).toHaveAttribute('data-status', 'paused');
    await expect(row.locator('[part=status]')).toHaveText('Paused');
    expect(await firstUpload(page)).toMatchObject({ status: 'paused', pausedReason: 'offline' });
    const offlineAt = Date.now();
    // Stay offline a moment: the engine must not try (and fail) in a loop meanwhile.
    await page.waitForTimeout(1000);
    const onlineAt = Date.now();
    expect(server.requests.filter((r) => r.path === path && r.start > offlineAt && r.start < onlineAt)).toHaveLength(0);
    expect(server.pathTotals(path).bytesReceived).toBeLessThan(file.size);

    await context.setOffline(false);
    await expect(row).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    const totals = server.pathTotals(path);
    expect(totals.sha).toBe(file.sha1);
    expect(totals.bytesReceived - totals.bytesDuplicate).toBe(file.size);
    expect(totals.bytesDuplicate).toBeLessThanOrEqual(server.maxOpen(path) * slice);
    const types = (await recordedEvents(page)).map((e) => e.type);
    expect(types.lastIndexOf('vod-upload-pause')).toBeLessThan(types.lastIndexOf('vod-upload-resume'));
  });

  test('the server restarts mid-upload (same port and data): the client retries through the outage, the session survives', async ({ page }) => {
    const server = await serve(256 * KiB);
    const slice = server.sliceSize;
    const file = make(40 * slice + 5);
    const path = `/restart/${file.path.split(/[\\/]/).pop()}`;
    const slow = { delayMs: 100 };
    server.setFaults(slow);
    await openElement(page, server, 'restart');
    // The outage begins once 8 slices are in and the next one arrives: the server holds it and all
    // later ones, so at least 40 - 8 - (slices in flight) slices are left, however loaded the machine.
    const heldAt8 = server.holdAfter(path, 8 * slice);
    await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
    await heldAt8;

    await server.stop();
    const before = server.pathTotals(path).bytesReceived;
    const row = page.locator('vod-uploader [part=file]');
    // The outage is seen as transient: retrying, with the countdown in the row.
    await expect(row).toHaveAttribute('data-status', 'retrying');
    await expect(row.locator('[part=status]')).toHaveText(/^Retrying in \d+ seconds?: The connection to the upload server failed\. \(code network\)$/);
    await server.startAgain();
    server.setFaults(slow);

    await expect(row).toHaveAttribute('data-status', 'done', { timeout: 40_000 });
    // The restarted process checked the sha of the whole file, half of which it received before.
    expect(server.stats.completedFiles.find((c) => c.path === path)).toMatchObject({ sha: file.sha1, size: file.size, instant: false });
    const after = server.stats.paths[path]!;
    expect(before).toBeGreaterThan(0);
    expect(after.bytesReceived).toBeLessThanOrEqual(file.size - before + server.maxOpen(path) * slice);
    // Slices stored but not yet answered when the process died are not acknowledged: the client
    // sends them again, and the new process may not know them (received twice, not "duplicate").
    const totals = server.pathTotals(path);
    expect(totals.bytesReceived - totals.bytesDuplicate).toBeGreaterThanOrEqual(file.size);
    expect(totals.bytesReceived - file.size).toBeLessThanOrEqual(server.maxOpen(path) * slice);
  });
});
