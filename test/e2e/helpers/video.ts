// A real, playable video made in the page: a canvas recorded by MediaRecorder as WebM (~0.8 s of a
// red frame with a moving yellow square), for the tests of posters and durations.
import type { Locator } from '@playwright/test';
import type { VodUploaderElement } from '../../../src/index.js';

/** A recording this small is the WebM header with no frame (~100 B): made again. */
const MIN_RECORDED_BYTES = 1000;

export interface RecordingOptions {
  /**
   * `recorder.start(timesliceMs)`: a chunk every so many ms, as web apps that record in the browser
   * do; without it, one chunk when the recorder stops.
   */
  timesliceMs?: number;
}

/** Records the video in the page and adds it to the element `host` as `name`. */
export async function addRecordedVideo(host: Locator, name: string, options: RecordingOptions = {}): Promise<void> {
  await host.evaluate(async (el: VodUploaderElement, [fileName, minBytes, timesliceMs]) => {
    // A loaded machine's encoder can lag the frames: a CI run under load recorded 110 B in 0.8 s, the
    // WebM header alone, and the video had no frame to show. Such a recording is made again, longer.
    const record = async (ms: number): Promise<Blob[]> => {
      const canvas = document.createElement('canvas');
      canvas.width = 320;
      canvas.height = 180;
      const ctx = canvas.getContext('2d')!;
      const stream = canvas.captureStream(25);
      const recorder = new MediaRecorder(stream, { mimeType: 'video/webm' });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => chunks.push(e.data);
      const stopped = new Promise((resolve) => (recorder.onstop = resolve));
      recorder.start(timesliceMs);
      const started = performance.now();
      await new Promise<void>((resolve) => {
        const draw = (): void => {
          ctx.fillStyle = '#e11d48';
          ctx.fillRect(0, 0, 320, 180);
          ctx.fillStyle = '#fde047';
          ctx.fillRect(((performance.now() - started) / 5) % 320, 60, 60, 60);
          if (performance.now() - started < ms) requestAnimationFrame(draw);
          else resolve();
        };
        draw();
      });
      recorder.stop();
      await stopped;
      return chunks;
    };
    let chunks: Blob[] = [];
    for (let ms = 800; ms <= 6400; ms *= 2) {
      chunks = await record(ms);
      if (new Blob(chunks).size >= minBytes) break;
    }
    await el.addFiles([new File(chunks, fileName, { type: 'video/webm' })]);
  }, [name, MIN_RECORDED_BYTES, options.timesliceMs] as const);
}
