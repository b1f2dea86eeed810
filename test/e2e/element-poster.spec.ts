// <vod-uploader> reads a poster frame from the video itself and paints it in the row, without
// holding up the upload. The video is recorded in the page (canvas → MediaRecorder → WebM).
import type { VodUploaderElement } from '../../src/index.js';
import { expect, test, uniqueName } from './helpers/server.js';
import { openElementPage } from './helpers/element-page.js';

test('a real video gets its poster frame painted in the row', async ({ page, server }) => {
  const host = await openElementPage(page, server);
  const name = uniqueName('recorded', '.webm');
  await host.evaluate(async (el: VodUploaderElement, fileName) => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 180;
    const ctx = canvas.getContext('2d')!;
    const stream = canvas.captureStream(25);
    const recorder = new MediaRecorder(stream, { mimeType: 'video/webm' });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start();
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const draw = (): void => {
        ctx.fillStyle = '#e11d48';
        ctx.fillRect(0, 0, 320, 180);
        ctx.fillStyle = '#fde047';
        ctx.fillRect(((performance.now() - started) / 5) % 320, 60, 60, 60);
        if (performance.now() - started < 800) requestAnimationFrame(draw);
        else resolve();
      };
      draw();
    });
    recorder.stop();
    await stopped;
    await el.addFiles([new File(chunks, fileName, { type: 'video/webm' })]);
  }, name);
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
