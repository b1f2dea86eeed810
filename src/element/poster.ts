// Poster frames and durations read from the video itself, lazily and one at a time: a hidden
// <video> seeks to a tenth of the clip and the frame is painted into the row's <canvas>. Failures
// (unknown codec, a CSP without `blob:` in media-src) leave the plain placeholder; nothing waits.
// Under a CSP without `media-src blob:` the first attempt is refused (one report) and no more are made.
// Each file's turn has one budget (POSTER_BUDGET_MS) for all its steps: a media pipeline that never
// answers costs that file its poster (its duration, once read, is kept) and the next file's turn
// comes; a seek that does not end costs only the chosen frame (the first one is painted instead).

/** All of one file's poster work (metadata, first frame, seek, bitmaps) ends within this, painted or not. */
export const POSTER_BUDGET_MS = 10_000;
/** A seek not done by then is given up for the video's first frame. */
const SEEK_WAIT_MS = 2_000;
/** How long after its frame a video with no duration in its metadata may take to learn one. */
const DURATION_WAIT_MS = 1_000;

export interface PosterInfo {
  /** Seconds, when the browser could read it. */
  duration?: number;
  /** A small frame, ready to paint. */
  frame?: ImageBitmap;
}

const cache = new WeakMap<File, Promise<PosterInfo>>();
let chain: Promise<unknown> = Promise.resolve();
/** Set once the page's CSP refused a blob: video: trying again would only add violation reports. */
let blockedByCsp = false;
if (typeof document !== 'undefined') {
  document.addEventListener('securitypolicyviolation', (event) => {
    if (event.blockedURI.startsWith('blob') && /^(media-src|default-src)/.test(event.effectiveDirective)) blockedByCsp = true;
  });
}

/** One extraction at a time: decoding several big files at once would compete with the uploads. */
export function posterFor(file: File): Promise<PosterInfo> {
  let job = cache.get(file);
  if (!job) {
    // The budget starts with the file's turn, not when it joined the line.
    job = chain.then(() => extract(file, AbortSignal.timeout(POSTER_BUDGET_MS))).catch(() => ({}));
    chain = job;
    cache.set(file, job);
  }
  return job;
}

/**
 * Closes the file's frame (an ImageBitmap holds its pixels until closed) and forgets it: call once
 * it is painted or no longer wanted. A later posterFor(file) reads the video again.
 */
export function releasePoster(file: File): void {
  const job = cache.get(file);
  cache.delete(file);
  void job?.then((info) => info.frame?.close());
}

async function extract(file: File, budget: AbortSignal): Promise<PosterInfo> {
  if (typeof document === 'undefined' || blockedByCsp) return {};
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'metadata';
  video.playsInline = true;
  const url = URL.createObjectURL(file);
  let duration: number | undefined;
  try {
    video.src = url;
    await mediaEvent(video, 'loadedmetadata', budget);
    // WebKit reports 0 for a file it cannot play, and Chromium Infinity for a WebM that MediaRecorder
    // wrote in chunks (a timeslice: the segment's size and duration are never filled in): neither is a duration.
    duration = knownDuration(video);
    if (video.videoWidth === 0) return { duration }; // sound only: nothing to paint
    // A tenth in (past black intro frames); with no duration, the first frame.
    const frame = await frameOf(video, duration !== undefined ? Math.min(duration * 0.1, 5) : 0, budget);
    return { duration: duration ?? (await durationAfterSeek(video, budget)), frame };
  } catch {
    return { duration };
  } finally {
    // Done or abandoned, the video lets go of the file: no media thread reads it any more.
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}

/** The video's length in seconds, unless the engine does not know it (0, NaN, Infinity). */
function knownDuration(video: HTMLVideoElement): number | undefined {
  return Number.isFinite(video.duration) && video.duration > 0 ? video.duration : undefined;
}

/**
 * Chromium finds the length of a timeslice recording once it has sought in it: 'durationchange'
 * comes a few ms after the seek, sometimes before the bitmap is made, sometimes after. A video whose
 * length is still unknown DURATION_WAIT_MS after its frame keeps none.
 */
async function durationAfterSeek(video: HTMLVideoElement, budget: AbortSignal): Promise<number | undefined> {
  const known = knownDuration(video);
  if (known !== undefined) return known;
  try {
    await mediaEvent(video, 'durationchange', AbortSignal.any([budget, AbortSignal.timeout(DURATION_WAIT_MS)]));
  } catch {
    // not learnt in time: no duration
  }
  return knownDuration(video);
}

/**
 * The frame at `at` seconds, or the first one when there is no `at` or the seek there does not end
 * in SEEK_WAIT_MS. Firefox drops a seek made before the first frame is decoded now and then (1
 * poster e2e run in about 10 under load): set right after 'loadedmetadata', currentTime reads 0
 * again once 'loadeddata' comes, and neither 'seeking' nor 'seeked' is ever fired. So the first
 * frame is loaded before any seek (preload 'auto': with 'metadata' Firefox may stop loading before
 * it and never fire 'loadeddata'). The first frame is sought too, even at 0: Chromium refuses a
 * bitmap of a video that was never seeked or played ("The image source is not usable", every 100 ms
 * until the budget ended: a timeslice recording, which has no duration, got no poster that way);
 * a seek to the start also replaces one that is stuck.
 */
async function frameOf(video: HTMLVideoElement, at: number, budget: AbortSignal): Promise<ImageBitmap> {
  video.preload = 'auto';
  if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) await mediaEvent(video, 'loadeddata', budget);
  for (const target of at > 0 ? [at, 0] : [0]) {
    try {
      await seek(video, target, AbortSignal.any([budget, AbortSignal.timeout(SEEK_WAIT_MS)]));
      return await bitmapOf(video, budget);
    } catch (error) {
      if (budget.aborted) throw error;
    }
  }
  return bitmapOf(video, budget); // no seek ended: the frame on show, if the engine gives one
}

function seek(video: HTMLVideoElement, at: number, signal: AbortSignal): Promise<void> {
  const seeked = mediaEvent(video, 'seeked', signal);
  video.currentTime = at;
  return seeked;
}

/**
 * The current frame as a small bitmap. Right after 'seeked', with readyState already
 * HAVE_ENOUGH_DATA, Chromium can still refuse ("InvalidStateError: The image source is not usable")
 * while the decoded frame is not ready; a loaded machine made this happen in about 1 test run in 3.
 * It is tried again every 100 ms until the budget ends; a bitmap made after that is closed.
 */
async function bitmapOf(video: HTMLVideoElement, budget: AbortSignal): Promise<ImageBitmap> {
  for (;;) {
    try {
      return await withinBudget(createImageBitmap(video, { resizeWidth: 192, resizeQuality: 'medium' }), budget);
    } catch (error) {
      if (budget.aborted || !(error instanceof DOMException && error.name === 'InvalidStateError')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The bitmap, unless the budget ends first: one that comes after that is closed, never kept. */
function withinBudget(making: Promise<ImageBitmap>, budget: AbortSignal): Promise<ImageBitmap> {
  return new Promise((resolve, reject) => {
    const over = (): void => reject(budget.reason);
    if (budget.aborted) over();
    else budget.addEventListener('abort', over, { once: true });
    making.then(
      (bitmap) => {
        budget.removeEventListener('abort', over);
        if (budget.aborted) bitmap.close();
        else resolve(bitmap);
      },
      (error: unknown) => {
        budget.removeEventListener('abort', over);
        reject(error);
      },
    );
  });
}

/** Resolves on the media event `name`; rejects on a media error or when `signal` aborts. */
function mediaEvent(target: HTMLMediaElement, name: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: unknown): void => {
      target.removeEventListener(name, ok);
      target.removeEventListener('error', fail);
      signal.removeEventListener('abort', over);
      if (error) reject(error);
      else resolve();
    };
    const ok = (): void => done();
    const fail = (): void => done(new Error('media error'));
    const over = (): void => done(signal.reason);
    if (signal.aborted) return over();
    target.addEventListener(name, ok);
    target.addEventListener('error', fail);
    signal.addEventListener('abort', over);
  });
}

/** Paints a frame into a canvas, keeping its aspect ratio within the canvas box. */
export function paintPoster(canvas: HTMLCanvasElement, frame: ImageBitmap): void {
  canvas.width = frame.width;
  canvas.height = frame.height;
  canvas.getContext('2d')?.drawImage(frame, 0, 0);
}
