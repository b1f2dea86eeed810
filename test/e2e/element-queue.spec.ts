// <vod-uploader>'s queue view at scale, against the real demo server: the summary's counts and bytes,
// a windowed list (few rows in the DOM, later rows on scrolling), the filter, "Retry failed",
// "Clear finished", "Cancel all" (with its confirming click), axe on the new UI; shadow DOM node counts
// at 100 / 1,000 / 10,000 files; and the unfinished-uploads panel's Discard / Discard all, checked in
// IndexedDB and after a reload.
import { randomBytes } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import type { VodUploaderElement } from '../../src/index.js';
import { expect, test } from './helpers/server.js';
import { choose, openElementPage } from './helpers/element-page.js';

async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  const result = await new AxeBuilder({ page }).include('vod-uploader').analyze();
  const summary = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html}`).join(' | ')}`);
  expect(summary, `axe violations in the ${state} state`).toEqual([]);
}

function rows(host: Locator): Locator {
  return host.locator('[part=file]');
}

test('300 files: summary counts and bytes, a windowed list, filter, retry failed, clear finished, cancel all', async ({ page, server }) => {
  test.setTimeout(240_000);
  const host = await openElementPage(page, server, { folder: 'queue' });
  const stem = Date.now().toString(36);
  // The server refuses names over 40 bytes: exactly the two long ones fail (-4012).
  server.setFaults({ maxNameBytes: 40 });
  const failing = [`${stem}-failing-${'x'.repeat(40)}-1.mp4`, `${stem}-failing-${'x'.repeat(40)}-2.mp4`];
  const names = Array.from({ length: 300 }, (_, i) => (i === 10 ? failing[0]! : i === 200 ? failing[1]! : `${stem}-${i}.mp4`));
  await choose(page, names.map((name) => ({ name, buffer: randomBytes(2000) })));

  const summary = host.locator('[part=summary]');
  await expect(summary.locator('[part=summary-counts]')).toContainText('300 files');
  await expect(summary.locator('[part=summary-counts]')).toContainText('of 586 KB');
  // Windowed: few rows in the DOM, each knows its place in the whole list.
  expect(await rows(host).count()).toBeLessThan(30);
  await expect(rows(host).first()).toHaveAttribute('aria-setsize', '300');
  await expect(rows(host).first()).toHaveAttribute('aria-posinset', '1');
  await expect(host.locator('[part=summary-progress] [part=progress]')).toHaveAttribute('role', 'progressbar');
  await expectNoAxeViolations(page, 'a batch uploading');

  await expect(summary.locator('[part=summary-counts]')).toContainText('298 done', { timeout: 180_000 });
  await expect(summary.locator('[part=summary-counts]')).toContainText('2 failed');
  await expect(summary.locator('[part=summary-counts]')).toContainText('582 KB of 586 KB');
  await expect(summary.locator('[part=summary-eta]')).toContainText('—');

  // Scrolling to the end shows the last rows (and not the first ones).
  await host.locator('[part=list]').evaluate((box) => (box.scrollTop = box.scrollHeight));
  await expect(host.locator('[part=file][aria-posinset="300"]')).toBeVisible();
  await expect(host.locator('[part=file][aria-posinset="1"]')).toHaveCount(0);
  expect(await rows(host).count()).toBeLessThan(30);

  // The filter shows just the two failures.
  await host.locator('[data-filter=failed]').click();
  await expect(host.locator('[data-filter=failed]')).toHaveAttribute('aria-pressed', 'true');
  await expect(rows(host)).toHaveCount(2);
  await expect(rows(host).locator('.name')).toHaveText(failing);
  await expectNoAxeViolations(page, 'filtered to the failures');

  // Retry failed: only those two go again, and finish now that the server takes long names.
  server.setFaults({});
  const requestsBefore = server.stats.paths[`/queue/${names[0]}`]?.requests;
  await host.locator('[data-bulk=retry-failed]').click();
  await expect(summary.locator('[part=summary-counts]')).toContainText('300 done', { timeout: 60_000 });
  await expect(summary.locator('[part=summary-counts]')).toContainText('0 failed');
  for (const name of failing) expect(server.stats.paths[`/queue/${name}`]?.sha).toBeTruthy();
  expect(server.stats.paths[`/queue/${names[0]}`]?.requests).toBe(requestsBefore);
  await expect(host.locator('[part=filter-empty]')).toBeVisible();
  await host.locator('[data-filter=all]').click();

  // Clear finished empties the done rows (and the summary goes with the list).
  await host.locator('[data-bulk=clear-finished]').click();
  await expect(rows(host)).toHaveCount(0);
  await expect(summary).toHaveCount(0);

  // Cancel all asks for a second click, then cancels what had not finished. The server holds every
  // request for a minute, so none of the 60 can finish while the armed state and axe run (a 400 ms
  // delay let 12-18 finish during Firefox's slow axe run); the cancel aborts the held requests.
  server.setFaults({ delayMs: 60_000 });
  const more = Array.from({ length: 60 }, (_, i) => `${stem}-more-${i}.mp4`);
  await choose(page, more.map((name) => ({ name, buffer: randomBytes(2000) })));
  const cancelAll = host.locator('[data-bulk=cancel-all]');
  await cancelAll.click();
  await expect(cancelAll).toHaveText(/Cancel \d+ uploads\? Click again/);
  await expect(host.locator('[part=file][data-status=cancelled]')).toHaveCount(0);
  await expectNoAxeViolations(page, 'cancel all armed');
  // The armed state lasts 5 s; a slow axe run (Firefox) may outlast it: then arm it again.
  if (!/Click again/.test((await cancelAll.textContent()) ?? '')) await cancelAll.click();
  await expect(cancelAll).toHaveText(/Click again/);
  await cancelAll.click();
  await expect(cancelAll).toHaveCount(0);
  const statuses = await host.evaluate((el: VodUploaderElement) => el.uploads.map((u) => u.status));
  expect(statuses.filter((s) => s !== 'cancelled' && s !== 'done')).toEqual([]);
  expect(statuses.filter((s) => s === 'cancelled').length).toBeGreaterThan(50);
  server.setFaults({}); // the next tests share this server
});

test('keyboard focus survives scrolling: the focused row stays in the DOM', async ({ page, server }) => {
  const host = await openElementPage(page, server, { folder: 'queue-focus', 'attr-manual': '' });
  await choose(page, Array.from({ length: 120 }, (_, i) => ({ name: `focus-${i}-${Date.now()}.mp4`, buffer: randomBytes(100) })));
  const first = host.locator('[part=file][aria-posinset="2"] [data-action=cancel]');
  await first.focus();
  await host.locator('[part=list]').evaluate((box) => (box.scrollTop = box.scrollHeight));
  await expect(host.locator('[part=file][aria-posinset="120"]')).toBeVisible();
  await expect(first).toBeFocused();
  expect(await rows(host).count()).toBeLessThan(30);
});

// Adding 10,000 files takes minutes on an engine whose add() is quadratic in the queue (issue 14 item
// 2, not this view's work): the default run counts 100, 1,000 and 2,000; QV_NODES=100,1000,10000
// (with a long timeout) gives the 10,000 figure of the README.
const NODE_COUNTS = (process.env.QV_NODES ?? '100,1000,2000').split(',').map(Number);

test(`shadow DOM nodes stay flat in the queue length: ${NODE_COUNTS.join(', ')} files`, async ({ page, server }, info) => {
  test.setTimeout(Number(process.env.QV_NODES_TIMEOUT ?? 180_000));
  const host = await openElementPage(page, server, { folder: 'queue-nodes', 'attr-manual': '' });
  const counts: Record<number, number> = {};
  const addMs: Record<number, number> = {};
  for (const n of NODE_COUNTS) {
    [counts[n], addMs[n]] = await host.evaluate(async (el: VodUploaderElement, n) => {
      el.clear();
      const files = Array.from({ length: n }, (_, i) => new File([new Uint8Array(64)], `nodes-${n}-${i}.mp4`, { type: 'video/mp4' }));
      const t0 = performance.now();
      await el.addFiles(files);
      const ms = Math.round(performance.now() - t0);
      // The list of 100 rows or more re-renders after a wait (dependencies.ts scheduleRender): count once it shows all n.
      while (el.uploads.length !== n) await new Promise((r) => setTimeout(r, 20));
      await el.updateComplete;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return [el.shadowRoot!.querySelectorAll('*').length, ms] as const;
    }, n);
  }
  info.annotations.push({ type: 'shadow DOM nodes', description: JSON.stringify(counts) });
  console.log(`shadow DOM nodes: ${JSON.stringify(counts)}; addFiles ms: ${JSON.stringify(addMs)}`);
  const largest = counts[NODE_COUNTS.at(-1)!]!;
  expect(largest).toBeLessThan(1500);
  expect(largest).toBeLessThanOrEqual(counts[1000]! + 50);
});

/** The keys in the element's IndexedDB session store. */
function storedKeys(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('vod-uploader');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
      const request = db.transaction('sessions').objectStore('sessions').getAllKeys();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return keys.map(String).sort();
  });
}

/** Records as an earlier visit leaves them (schema 1, store.ts), for a panel with many entries. */
function seedSessions(page: Page, names: string[]): Promise<void> {
  return page.evaluate(async (names) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('vod-uploader');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction('sessions', 'readwrite');
    const now = Date.now();
    for (const name of names) {
      const key = `seeded|${name}`;
      const session = {
        key, name, size: 5_000_000, lastModified: now, type: 'video/mp4', path: `/discard/${name}`,
        target: { appid: '1', bucket: 'b', dir: 'discard' }, sampleSha: 'x', acked: [[0, 1_000_000]], createdAt: now, updatedAt: now,
      };
      tx.objectStore('sessions').put({ schema: 1, session }, key);
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, names);
}

test('unfinished uploads: summarised, Discard one, refused while another tab holds it, Discard all; a reload offers nothing', async ({ page, server }) => {
  test.setTimeout(120_000);
  const host = await openElementPage(page, server, { folder: 'discard' });
  // One real interrupted upload... It must not finish before the reload (a finished upload's record
  // is deleted, rightly): once 2 of its 16 slices are in, every later request waits 60 s at the server,
  // so at most the ≤ 6 already in flight complete, however slow the machine is until the reload.
  server.setFaults({ delayMs: 800 });
  const real = `discard-real-${Date.now()}.mp4`;
  await choose(page, [{ name: real, buffer: randomBytes(16 * server.sliceSize) }]);
  await expect.poll(() => server.stats.paths[`/discard/${real}`]?.bytesReceived ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(2 * server.sliceSize);
  server.setFaults({ delayMs: 60_000 });
  await expect.poll(() => storedKeys(page)).toHaveLength(1);
  // ...and six more left by earlier visits.
  const seeded = Array.from({ length: 6 }, (_, i) => `seeded-${i}.mp4`);
  await seedSessions(page, seeded);
  await page.reload();
  await page.evaluate(() => customElements.whenDefined('vod-uploader'));
  server.setFaults({});
  expect(server.stats.completedFiles.map((f) => f.path)).not.toContain(`/discard/${real}`);

  const panel = host.locator('[part=restorable]');
  await expect(panel.locator('.restorable-item')).toHaveCount(5);
  await expect(panel.locator('[data-action=more]')).toHaveText('Show 2 more');
  await expectNoAxeViolations(page, 'the unfinished-uploads panel');
  await panel.locator('[data-action=more]').click();
  await expect(panel.locator('.restorable-item')).toHaveCount(7);
  expect(await storedKeys(page)).toHaveLength(7);

  // Discard one: its record goes.
  await panel.getByRole('button', { name: `Discard ${real}` }).click();
  await expect(panel.locator('.restorable-item')).toHaveCount(6);
  await expect.poll(() => storedKeys(page)).toEqual(seeded.map((n) => `seeded|${n}`).sort());

  // Another tab uploading one of them (it holds the upload's Web Lock): refused, kept, and said so.
  const other = await page.context().newPage();
  await other.goto(page.url().replace(/\?.*$/, '').replace('element.html', 'hashing.html'));
  await other.evaluate(
    (name) =>
      new Promise<void>((locked) => {
        void navigator.locks.request(name, () => new Promise<void>((release) => {
          (window as unknown as { release: () => void }).release = release;
          locked();
        }));
      }),
    `vod-uploader:seeded|${seeded[0]}`,
  );
  const discards: unknown[] = [];
  await page.exposeFunction('recordDiscard', (detail: unknown) => discards.push(detail));
  await host.evaluate((el) => el.addEventListener('vod-upload-discard', (e) => (window as unknown as { recordDiscard: (d: unknown) => void }).recordDiscard((e as CustomEvent).detail)));
  await panel.getByRole('button', { name: `Discard ${seeded[0]}` }).click();
  await expect(host.locator('.notice')).toContainText(`“${seeded[0]}” is being uploaded in another tab or uploader; it was not discarded.`);
  expect(await storedKeys(page)).toContain(`seeded|${seeded[0]}`);
  await expect.poll(() => discards.length).toBe(1);
  expect(discards[0]).toMatchObject({ discarded: [], refused: [{ key: `seeded|${seeded[0]}`, where: 'elsewhere' }] });

  // Discard all: a second click confirms; the locked one stays until the other tab lets go.
  const all = panel.locator('[data-action=discard-all]');
  await all.click();
  await expect(all).toHaveText('Discard 6 unfinished uploads? Click again');
  expect(await storedKeys(page)).toHaveLength(6);
  await all.click();
  await expect(panel.locator('.restorable-item')).toHaveCount(1);
  expect(await storedKeys(page)).toEqual([`seeded|${seeded[0]}`]);
  await other.evaluate(() => (window as unknown as { release: () => void }).release());
  await panel.getByRole('button', { name: `Discard ${seeded[0]}` }).click();
  await expect(panel).toHaveCount(0);
  await expect.poll(() => storedKeys(page)).toEqual([]);

  await page.reload();
  await page.evaluate(() => customElements.whenDefined('vod-uploader'));
  await page.waitForTimeout(500);
  await expect(host.locator('[part=restorable]')).toHaveCount(0);
  await other.close();
});
