// <vod-uploader> accessibility and languages: axe-core finds nothing in each state (idle, uploading,
// error, done), the live region speaks at start, quarters and the end, and zh-CN strings are used.
import { randomBytes } from 'node:crypto';
import type { VodUploaderElement } from '../../src/index.js';
import { expect, test, uniqueName } from './helpers/server.js';
import { expectNoAxeViolations } from './helpers/axe.js';
import { choose, openElementPage } from './helpers/element-page.js';

test('axe-core reports no violations when idle, uploading, done and in error', async ({ page, server }) => {
  test.setTimeout(120_000);
  const host = await openElementPage(page, server, { folder: 'a11y' });
  await expectNoAxeViolations(page, 'idle');

  server.setFaults({ delayMs: 1500 });
  const name = uniqueName('a11y');
  const bytes = randomBytes(6 * server.sliceSize);
  await choose(page, [{ name, buffer: bytes }]);
  const row = host.locator('[part=file]');
  await expect(row).toHaveAttribute('data-status', 'uploading');
  await expectNoAxeViolations(page, 'uploading');
  const bar = row.getByRole('progressbar');
  await expect(bar).toHaveAttribute('aria-valuemin', '0');
  await expect(bar).toHaveAttribute('aria-valuemax', '100');
  await expect(bar).toHaveAttribute('aria-valuetext', /%/);

  server.setFaults({});
  await expect(row).toHaveAttribute('data-status', 'done');
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  await expectNoAxeViolations(page, 'done');

  // Another file at the same path: a terminal error row.
  await choose(page, [{ name, buffer: randomBytes(100) }]);
  await expect(host.locator('[part=file][data-status=error]')).toHaveCount(1);
  await expectNoAxeViolations(page, 'error');
});

test('the live region announces start, each quarter and completion, not every tick', async ({ page, server }) => {
  server.setFaults({ delayMs: 150 });
  const host = await openElementPage(page, server);
  // Record every text the polite region ever held.
  await host.evaluate((el) => {
    const region = el.shadowRoot!.querySelector('[aria-live=polite]')!;
    const said: string[] = [];
    (window as unknown as { said: string[] }).said = said;
    new MutationObserver(() => said.push(region.textContent!.trim())).observe(region, { childList: true, characterData: true, subtree: true });
  });
  const name = uniqueName('live');
  await choose(page, [{ name, buffer: randomBytes(12 * server.sliceSize) }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');
  const said = [...new Set(await page.evaluate(() => (window as unknown as { said: string[] }).said))].filter(Boolean);
  // Start, then some of the quarters in order (a quarter is skipped when one progress step jumps
  // over it: saying "50%" after "75%" helps nobody), then completion; nothing else.
  expect(said[0]).toBe(`${name}: upload started`);
  expect(said.at(-1)).toBe(`${name}: upload complete`);
  const middle = said.slice(1, -1);
  expect(middle.length).toBeGreaterThan(0);
  const quarters = middle.map((text) => Number(/: (\d+)% uploaded$/.exec(text)?.[1]));
  expect(quarters.every((q) => [25, 50, 75].includes(q))).toBe(true);
  expect(quarters).toEqual([...quarters].sort((a, b) => a - b));
});

test('Simplified Chinese from the document language, and i18n overrides', async ({ page, server }) => {
  const host = await openElementPage(page, server, { lang: 'zh-CN' });
  await expect(host.locator('[part=dropzone]')).toContainText('将视频拖到此处，或点击选择文件');
  const name = uniqueName('zh');
  await choose(page, [
    { name, buffer: randomBytes(3000) },
    { name: 'image.png', buffer: randomBytes(10), mimeType: 'image/png' },
  ]);
  await expect(host.locator('.notice')).toContainText('“image.png”不是允许的文件类型（video/*）。');
  const row = host.locator('[part=file]');
  await expect(row).toHaveAttribute('data-status', 'done');
  await expect(row.locator('[part=status]')).toContainText('上传完成');
  await expect(row.getByRole('button', { name: `从列表中移除 ${name}` })).toBeVisible();

  // The element's own `lang` property wins over the document's.
  await host.evaluate((el: VodUploaderElement) => {
    el.lang = 'en';
  });
  await expect(host.locator('[part=dropzone]')).toContainText('Drop videos here or choose files');
  await host.evaluate((el: VodUploaderElement) => {
    el.i18n = { dropzoneTitle: 'Déposez vos vidéos ici' };
  });
  await expect(host.locator('[part=dropzone]')).toContainText('Déposez vos vidéos ici');
});

test('usable at 200% zoom: the drop zone and the buttons stay within a narrow viewport', async ({ page, server }) => {
  // 200% zoom of a 640 px wide window is a 320 CSS px viewport.
  await page.setViewportSize({ width: 320, height: 640 });
  server.setFaults({ delayMs: 400 });
  const host = await openElementPage(page, server);
  await choose(page, [{ name: uniqueName('a-rather-long-file-name-that-has-to-wrap-somewhere'), buffer: randomBytes(4 * server.sliceSize) }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', /uploading|hashing/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
  for (const button of await host.locator('[part=button]').all()) {
    const box = (await button.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(320);
  }
});
