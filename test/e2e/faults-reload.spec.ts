// Fault injection, the page itself: reloads at seeded random moments (hashing, first request,
// slices, just before the last slice), and two tabs with the same file (one waits, then takes over
// when the other closes). Real Chromium, the real demo server on another origin. Re-sent bytes are
// bounded by the slices the server saw in flight at once (the engine may raise its concurrency up to
// 6 on a latency-bound link) times the slice size, per interruption.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { elementPageUrl } from './helpers/element-page.js';
import {
  expect, firstUpload, hashJobs, KiB, probeHashJobs, seededRandom, storedSessions, suiteResources, test,
  type FaultServer,
} from './helpers/faults.js';

const SEED = 20261125;
const MOMENTS = ['hashing', 'create', 'slices', 'last'] as const;
type Moment = (typeof MOMENTS)[number];

test.describe('page faults', () => {
  const resources = suiteResources();
  const serve = (): Promise<FaultServer> => resources.server({ sliceSize: 256 * KiB });

  const ready = (page: Page): Promise<unknown> => page.evaluate(() => customElements.whenDefined('vod-uploader'));

  test('reload at 10 seeded random moments: the file chosen again finishes, the stored session is used, little re-sent', async ({ page }) => {
    test.setTimeout(150_000);
    const server = await serve();
    const slice = server.sliceSize;
    // Latency keeps each phase open long enough to reload inside it.
    server.setFaults({ delayMs: 150 });
    await probeHashJobs(page);
    const random = seededRandom(SEED);
    const seen: Moment[] = [];
    let sessionsKept = 0;
    for (let trial = 0; trial < 10; trial++) {
      // Every moment at least twice, the rest at random; sizes of 4 to 9 slices plus an odd tail.
      const moment: Moment = trial < 8 ? MOMENTS[trial % 4]! : MOMENTS[Math.floor(random() * 4)]!;
      const slices = 4 + Math.floor(random() * 6);
      // An odd tail of 4 KiB to half a slice: the last slice's request is told apart by its size.
      const file = resources.file(slices * slice + 4096 + Math.floor((random() * slice) / 2));
      const name = file.path.split(/[\\/]/).pop()!;
      const dir = `reload-${trial}`;
      const path = `/${dir}/${name}`;
      const label = `trial ${trial} (${moment})`;
      // Concurrency 3 (not the default 5): the moments below count on at most 4 slices in flight.
      await page.goto(elementPageUrl(server, { folder: dir, 'attr-concurrency': '3' }));
      await ready(page);
      if (moment === 'hashing') {
        // The page reloads itself the moment its row says it is hashing (a test-side reload could be late).
        await page.locator('vod-uploader').evaluate((el) => {
          const root = el.shadowRoot!;
          new MutationObserver(() => {
            if (root.querySelector('[part=file][data-status=hashing]')) location.reload();
          }).observe(root, { subtree: true, attributes: true, childList: true });
        });
        const reloaded = page.waitForEvent('load');
        await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
        await reloaded;
      } else {
        await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
        const mine = (): typeof server.requests => server.requests.filter((r) => r.path === path);
        const received = (): number => server.stats.paths[path]?.bytesReceived ?? 0;
        const fast = { timeout: 20_000, intervals: [10] };
        if (moment === 'create') await expect.poll(() => mine().length, fast).toBeGreaterThan(0);
        if (moment === 'slices') {
          // Early enough that the slices in flight (up to 4 here) cannot finish the file first.
          const k = 1 + Math.floor(random() * Math.max(1, slices - 4));
          await expect.poll(received, fast).toBeGreaterThanOrEqual(k * slice);
        }
        if (moment === 'last') {
          // Hold the last requests at the server (2 s) so the reload lands while the last is held.
          await expect.poll(received, fast).toBeGreaterThanOrEqual(Math.max(0, slices - 4) * slice);
          server.setFaults({ delayMs: 2000 });
          const tail = file.size - slices * slice;
          await expect.poll(() => mine().some((r) => r.bodyBytes > tail && r.bodyBytes < tail + 2048), fast).toBe(true);
        }
        expect(server.stats.paths[path]?.completed ?? 0, `${label}: reloaded before the end`).toBe(0);
        await page.reload();
        server.setFaults({ delayMs: 150 });
      }
      seen.push(moment);
      await ready(page);

      // The unfinished upload is offered after the reload, from IndexedDB.
      const host = page.locator('vod-uploader');
      await expect(host.locator('.restorable-item'), label).toHaveCount(1);
      await expect(host.locator('.restorable-item .name')).toHaveText(name);
      const stored = (await storedSessions(page)).find((s) => s.name === name);
      expect(stored, `${label}: stored session`).toBeDefined();
      if (moment === 'slices' || moment === 'last') {
        // The file was hashed and the server session was open: both were stored, and the session is
        // one the server still has on disk (unless the last slice, already on its way, completed it).
        expect(stored!.sha, label).toBe(file.sha1);
        expect(stored!.session, label).toBeTruthy();
        const open = existsSync(join(server.dataDir, 'sessions', `${stored!.session}.json`));
        expect(open || server.stats.paths[path]!.completed === 1, label).toBe(true);
        if (open) sessionsKept++;
      }
      const before = server.stats.paths[path]?.bytesReceived ?? 0;

      await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
      await expect(host.locator('[part=file]'), label).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
      const p = server.stats.paths[path]!;
      expect(p.sha, label).toBe(file.sha1);
      expect(p.bytesReceived - p.bytesDuplicate, label).toBe(file.size);
      expect(p.bytesDuplicate, label).toBeLessThanOrEqual(server.maxOpen(path) * slice);
      // After the reload only what the server lacked (and what was in flight) is sent.
      expect(p.bytesReceived - before, label).toBeLessThanOrEqual(file.size - before + server.maxOpen(path) * slice);
      // A sha stored before the reload is not computed again.
      if (stored!.sha) expect(await hashJobs(page), label).toBe(0);
      // Finished: its stored session goes (else the next page would offer it for resuming). Waited
      // for, because the delete commits a moment after the row says done and the next trial navigates.
      await expect.poll(async () => (await storedSessions(page)).some((x) => x.name === name), label).toBe(false);
    }
    expect(new Set(seen).size).toBe(MOMENTS.length);
    expect(sessionsKept).toBeGreaterThanOrEqual(2);
    test.info().annotations.push({ type: 'measured', description: `moments ${seen.join(', ')}; server sessions found open ${sessionsKept}` });
  });

  test('two tabs, one file: the second says it is uploading elsewhere, takes over when the first closes, re-sends little', async ({
    context,
  }) => {
    const server = await serve();
    const slice = server.sliceSize;
    server.setFaults({ delayMs: 200 });
    const file = resources.file(40 * slice + 3);
    const path = `/tabs/${file.path.split(/[\\/]/).pop()}`;
    const first = await context.newPage();
    const second = await context.newPage();
    await probeHashJobs(second);
    for (const page of [first, second]) {
      await page.goto(elementPageUrl(server, { folder: 'tabs' }));
      await ready(page);
    }
    await first.locator('vod-uploader [part=input]').setInputFiles(file.path);
    await expect.poll(() => server.stats.paths[path]?.bytesReceived ?? 0).toBeGreaterThanOrEqual(4 * slice);

    let secondTabPosts = 0;
    second.on('request', (r) => {
      if (r.method() === 'POST' && r.url().startsWith(server.endpoint)) secondTabPosts++;
    });
    await second.locator('vod-uploader [part=input]').setInputFiles(file.path);
    const waiting = second.locator('vod-uploader [part=file]');
    await expect(waiting.locator('[part=status]')).toHaveText('Uploading in another tab; this one takes over when it stops');
    expect(await firstUpload(second)).toMatchObject({ elsewhere: true });
    await expect.poll(() => server.stats.paths[path]!.bytesReceived).toBeGreaterThanOrEqual(12 * slice);
    // Only the first tab sends meanwhile.
    expect(secondTabPosts).toBe(0);

    await first.close();
    const before = server.stats.paths[path]!.bytesReceived;
    expect(before).toBeLessThan(file.size);
    await expect(waiting).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    const p = server.stats.paths[path]!;
    expect(p.sha).toBe(file.sha1);
    expect(p.completed).toBe(1);
    expect(p.bytesReceived - p.bytesDuplicate).toBe(file.size);
    // Slices in flight when the first tab closed may have been stored without their answer.
    expect(p.bytesDuplicate).toBeLessThanOrEqual(server.maxOpen(path) * slice);
    // The second tab went on from the first tab's stored session and sha: it never hashed the file.
    expect(await hashJobs(second)).toBe(0);
  });
});
