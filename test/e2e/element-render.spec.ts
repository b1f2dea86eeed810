// How often <vod-uploader> re-renders during an upload: progress reaches the list at most every 200 ms
// (the engine's progress interval; slices are acknowledged far more often), while a status change
// (here the end of the upload) is rendered at once.
import { randomBytes } from 'node:crypto';
import type { VodUploaderElement } from '../../src/index.js';
import { expect, test, uniqueName } from './helpers/server.js';
import { choose, openElementPage } from './helpers/element-page.js';

test('progress renders at most ~5 times a second, not once per slice; the status change renders at once', async ({ page, server }) => {
  const slices = 160;
  const name = uniqueName('renders');
  const host = await openElementPage(page, server);
  await host.evaluate((el: VodUploaderElement) => {
    const w = window as unknown as { renderLog: { changes: number[]; statusAtSuccess?: string | null } };
    w.renderLog = { changes: [] };
    // Every change of the bar's text (bytes done) is one render that reached the DOM.
    new MutationObserver((records) => {
      for (const r of records) if (r.attributeName === 'aria-valuetext') w.renderLog.changes.push(performance.now());
    }).observe(el.shadowRoot!, { subtree: true, attributes: true, attributeFilter: ['aria-valuetext'] });
    el.addEventListener('vod-upload-success', () => {
      // A status change is not held back: after the element's pending update, the row says done.
      void el.updateComplete.then(() => {
        w.renderLog.statusAtSuccess = el.shadowRoot!.querySelector('[part=file]')?.getAttribute('data-status');
      });
    });
  });
  await choose(page, [{ name, buffer: randomBytes(slices * server.sliceSize) }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');
  const log = await page.evaluate(() => (window as unknown as { renderLog: { changes: number[]; statusAtSuccess?: string } }).renderLog);
  expect(log.statusAtSuccess).toBe('done');
  expect(server.stats.paths[`/${name}`]!.sliceRequests).toBe(slices);
  // Rendering once per acknowledged slice would change the text ~160 times in the upload's second or
  // two; throttled, it changes about once per 200 ms (plus the hashing bar and the status changes).
  const spanMs = log.changes.at(-1)! - log.changes[0]!;
  expect(log.changes.length).toBeLessThanOrEqual(Math.ceil(spanMs / 200) + 8);
  expect(log.changes.length).toBeLessThan(slices / 2);
});

// The bar steps with each progress render (5 a second) and runs no animation between them: a
// transition per update kept the compositor drawing for the whole upload, CPU the upload itself
// needs when the machine is busy with TLS (bench/README.md, "The HTTPS rows").
test('the progress bars run no animation while a file uploads', async ({ page, server }) => {
  const name = uniqueName('no-animation');
  const host = await openElementPage(page, server);
  await host.evaluate((el: VodUploaderElement) => {
    const w = window as unknown as { animationLog: { renders: number; animated: number } };
    w.animationLog = { renders: 0, animated: 0 };
    new MutationObserver(() => {
      w.animationLog.renders++;
      // getAnimations() brings style up to date first: a transition the new fraction starts is listed.
      const fills = [...el.shadowRoot!.querySelectorAll('[part~=progress] > *')];
      if (fills.some((fill) => fill.getAnimations().length > 0)) w.animationLog.animated++;
    }).observe(el.shadowRoot!, { subtree: true, attributes: true, attributeFilter: ['aria-valuetext'] });
  });
  // 160 slices, as above: with 40 a fresh-clone CI run finished the upload within two renders.
  await choose(page, [{ name, buffer: randomBytes(160 * server.sliceSize) }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');
  const log = await page.evaluate(() => (window as unknown as { animationLog: { renders: number; animated: number } }).animationLog);
  expect(log.renders).toBeGreaterThan(2); // the bar did move while the test watched
  expect(log.animated).toBe(0);
});
