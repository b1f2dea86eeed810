// A real, playable video made in the page: a canvas recorded by MediaRecorder as WebM (~0.8 s of a
// red frame with a moving yellow square), for the tests of posters and durations.
import type { Locator } from '@playwright/test';
import type { VodUploaderElement } from '../../../src/index.js';

/** Records the video in the page and adds it to the element `host` as `name`. */
export async function addRecordedVideo(host: Locator, name: string): Promise<void> {
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
}
