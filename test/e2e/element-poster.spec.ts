// <vod-uploader> reads a poster frame from the video itself and paints it in the row, without
// holding up the upload. The video is recorded in the page (helpers/video.ts).
import { randomBytes } from 'node:crypto';
import type { Locator } from '@playwright/test';
import type { VodUploaderElement } from '../../src/index.js';
import { POSTER_BUDGET_MS } from '../../src/element/poster.js';
import { expect, test, uniqueName } from './helpers/server.js';
import { choose, openElementPage } from './helpers/element-page.js';
import { addRecordedVideo } from './helpers/video.js';

/** `seconds` of 8 kHz mono 8-bit silence as a WAV file. */
function silentWav(seconds: number): Buffer {
  const samples = 8000 * seconds;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples, 40);
  return Buffer.concat([header, Buffer.alloc(samples, 128)]);
}

// Room for posterOutcome's wait on top of the recording and the uploads, on a loaded machine.
test.describe.configure({ timeout: 120_000 });

/**
 * How the row's poster job ended: 'painted' or 'none'. The element bounds each job by POSTER_BUDGET_MS
 * from its turn, so this waits for an answer, not for a guess of how fast a loaded machine decodes.
 * The wait adds room for the turn to come (page idle, the poster chunk loaded, earlier files' turns).
 */
async function posterOutcome(poster: Locator): Promise<string | null> {
  await expect(poster).toHaveAttribute('data-poster', /^(painted|none)$/, { timeout: POSTER_BUDGET_MS + 30_000 });
  return poster.getAttribute('data-poster');
}

/** The red of the recorded video's background (helpers/video.ts) at the canvas's corner. */
async function expectRedFrame(poster: Locator): Promise<void> {
  // paintPoster sizes the canvas to the frame (192 px wide) and draws it: red pixels, not the blank placeholder.
  expect(await poster.evaluate((c: HTMLCanvasElement) => c.width)).toBe(192);
  const pixel = await poster.evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(2, 2, 1, 1).data));
  expect(pixel[0]).toBeGreaterThan(150);
  expect(pixel[1]).toBeLessThan(100);
}

test('a real video gets its poster frame painted in the row', async ({ page, server }) => {
  const host = await openElementPage(page, server);
  const name = uniqueName('recorded', '.webm');
  await addRecordedVideo(host, name);
  const row = host.locator('[part=file]');
  await expect(row).toHaveAttribute('data-status', 'done');
  const poster = row.locator('[part=poster]');
  expect(await posterOutcome(poster)).toBe('painted');
  await expectRedFrame(poster);
});

test('a video recorded with a timeslice (a chunk every 100 ms) gets its poster frame and its duration too', async ({ page, server }) => {
  // As web apps that record in the browser make them: the File is the Blob of many chunks. Chromium
  // writes such a WebM with a segment of unknown size and no duration ('loadedmetadata' reads
  // Infinity), so the poster is its first frame, and Chromium gives no bitmap of a video that was
  // never sought (poster.ts, frameOf): before 0c7d4e6 this row kept its placeholder.
  const host = await openElementPage(page, server);
  await addRecordedVideo(host, uniqueName('timeslice', '.webm'), { timesliceMs: 100 });
  const poster = host.locator('[part=file] [part=poster]');
  expect(await posterOutcome(poster)).toBe('painted');
  await expectRedFrame(poster);
  // And its length: Chromium knows it only once the first frame was sought (poster.ts, extract);
  // Firefox reads it from the metadata (~0.8 s) and seeks a tenth in.
  await expect(host.locator('[part=file] .meta')).toContainText(/Duration 0:0[01]/);
});

test('poster bitmaps are closed once painted; nothing is kept for rows that are gone', async ({ page, server }) => {
  // Every bitmap the page makes, to see afterwards whether it was closed (a closed one is 0 × 0).
  await page.addInitScript(() => {
    const made: ImageBitmap[] = [];
    (window as unknown as { bitmaps: ImageBitmap[] }).bitmaps = made;
    const original = window.createImageBitmap.bind(window) as (...args: unknown[]) => Promise<ImageBitmap>;
    window.createImageBitmap = (async (...args: unknown[]) => {
      const bitmap = await original(...args);
      made.push(bitmap);
      return bitmap;
    }) as typeof window.createImageBitmap;
  });
  const host = await openElementPage(page, server);
  await addRecordedVideo(host, uniqueName('recorded', '.webm'));
  // A file with a duration and no frame: one second of silent WAV.
  await choose(page, [
    { name: uniqueName('sound', '.wav'), buffer: silentWav(1), mimeType: 'video/webm' },
    { name: uniqueName('other-b'), buffer: randomBytes(3 * server.sliceSize) },
  ]);
  await expect(host.locator('[part=file][data-status=done]')).toHaveCount(3);
  const poster = host.locator('[part=file]').first().locator('[part=poster]');
  expect(await posterOutcome(poster)).toBe('painted');
  expect(await poster.evaluate((c: HTMLCanvasElement) => c.width)).toBe(192);
  // The other two files have no frame (sound only, random bytes): their jobs end with the placeholder.
  for (const i of [1, 2]) expect(await posterOutcome(host.locator('[part=poster]').nth(i))).toBe('none');
  const bitmaps = () => page.evaluate(() => (window as unknown as { bitmaps: ImageBitmap[] }).bitmaps.map((b) => b.width));
  await expect.poll(async () => (await bitmaps()).length).toBeGreaterThan(0);
  await expect.poll(bitmaps).toEqual((await bitmaps()).map(() => 0));

  // What the element keeps per row (read from its private fields: nothing else shows a leak).
  type Kept = { files: number; quarters: number; durations: number };
  const kept = (): Promise<Kept> =>
    host.evaluate((el) => {
      const e = el as unknown as { controller: { files: Map<string, File>; announcedQuarter: Map<string, number> }; posters: { durations: Map<string, number> } };
      return { files: e.controller.files.size, quarters: e.controller.announcedQuarter.size, durations: e.posters.durations.size };
    });
  const sound = host.locator('[part=file]').nth(1);
  await expect(sound.locator('.meta')).toContainText('Duration 0:01');
  const before = await kept();
  expect(before).toMatchObject({ files: 3, quarters: 3 });
  expect(before.durations).toBeGreaterThan(0);
  await sound.getByRole('button', { name: /^Remove / }).click();
  await expect(host.locator('[part=file]')).toHaveCount(2);
  expect(await kept()).toEqual({ files: 2, quarters: 2, durations: before.durations - 1 });
  await host.evaluate((el: VodUploaderElement) => el.clear());
  await expect(host.locator('[part=file]')).toHaveCount(0);
  expect(await kept()).toEqual({ files: 0, quarters: 0, durations: 0 });
});

test('a seek that is dropped costs its row only the chosen frame: the first is painted, and the next row gets its poster', async ({ page, server }) => {
  // The fault Firefox shows now and then (poster.ts, frameOf): a seek past the start is dropped, no
  // 'seeking', no 'seeked', currentTime stays where it was. Here every such seek is dropped.
  await page.addInitScript(() => {
    const own = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'currentTime')!;
    Object.defineProperty(HTMLMediaElement.prototype, 'currentTime', {
      configurable: true,
      get(this: HTMLMediaElement) {
        return own.get!.call(this) as number;
      },
      set(this: HTMLMediaElement, value: number) {
        if (value === 0) own.set!.call(this, value);
      },
    });
  });
  const host = await openElementPage(page, server);
  await addRecordedVideo(host, uniqueName('dropped-seek', '.webm'));
  await addRecordedVideo(host, uniqueName('next', '.webm'));
  const posters = host.locator('[part=poster]');
  await expect(posters).toHaveCount(2);
  // A duration was read (both engines read one from this recording), so a seek past the start was made.
  await expect(host.locator('[part=file] .meta').first()).toContainText('Duration');
  for (const i of [0, 1]) {
    expect(await posterOutcome(posters.nth(i))).toBe('painted');
    await expectRedFrame(posters.nth(i));
  }
});

test('a frame that never comes costs its row the poster within the budget, and the next row still gets its own', async ({ page, server }) => {
  // The first bitmap the page asks for never arrives (a media pipeline that does not answer).
  await page.addInitScript(() => {
    const original = window.createImageBitmap.bind(window) as (...args: unknown[]) => Promise<ImageBitmap>;
    let calls = 0;
    window.createImageBitmap = ((...args: unknown[]) =>
      ++calls === 1 ? new Promise<ImageBitmap>(() => {}) : original(...args)) as typeof window.createImageBitmap;
  });
  const host = await openElementPage(page, server);
  await addRecordedVideo(host, uniqueName('stuck', '.webm'));
  await addRecordedVideo(host, uniqueName('next', '.webm'));
  const posters = host.locator('[part=poster]');
  await expect(posters).toHaveCount(2);
  expect(await posterOutcome(posters.nth(0))).toBe('none');
  expect(await posterOutcome(posters.nth(1))).toBe('painted');
  await expectRedFrame(posters.nth(1));
  // The uploads never waited on it.
  await expect(host.locator('[part=file][data-status=done]')).toHaveCount(2);
});
