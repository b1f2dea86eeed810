// <vod-uploader> reads a poster frame from the video itself and paints it in the row, without
// holding up the upload. The video is recorded in the page (helpers/video.ts).
import { expect, test, uniqueName } from './helpers/server.js';
import { openElementPage } from './helpers/element-page.js';
import { addRecordedVideo } from './helpers/video.js';

test('a real video gets its poster frame painted in the row', async ({ page, server }) => {
  const host = await openElementPage(page, server);
  const name = uniqueName('recorded', '.webm');
  await addRecordedVideo(host, name);
  const row = host.locator('[part=file]');
  await expect(row).toHaveAttribute('data-status', 'done');
  const poster = row.locator('[part=poster]');
  // paintPoster sizes the canvas to the frame (192 px wide) and draws it: red pixels, not the blank placeholder.
  // Extraction starts when the page is idle and decodes the video: on a loaded CI machine (other tests
  // in parallel) that took over the default 5 s once, so the wait is longer; how fast is not the point.
  await expect.poll(() => poster.evaluate((c: HTMLCanvasElement) => c.width), { timeout: 20_000 }).toBe(192);
  const pixel = await poster.evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(2, 2, 1, 1).data));
  expect(pixel[0]).toBeGreaterThan(150);
  expect(pixel[1]).toBeLessThan(100);
});
