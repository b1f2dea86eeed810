// Poster frames and durations read from the video itself, lazily and one at a time: a hidden
// <video> seeks to a tenth of the clip and the frame is painted into the row's <canvas>. Failures
// (unknown codec, a CSP without `blob:` in media-src) leave the plain placeholder; nothing waits.
// Under a CSP without `media-src blob:` the first attempt is refused (one report) and no more are made.
// Each file's turn has one budget (POSTER_BUDGET_MS) for every step, so a media pipeline that never
// answers (a seek whose 'seeked' never comes, a bitmap that is never made) costs that file its poster
// and lets the next file's turn come; it can never hold up the rows after it.

/** All of one file's poster work (metadata, seek, bitmap) ends within this, painted or not. */
export const POSTER_BUDGET_MS = 15_000;
/** A seek not done by then is given up for the video's first frame (one more, short seek). */
const SEEK_WAIT_MS = 3_000;

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
  try {
    video.src = url;
    await once(video, 'loadedmetadata', budget);
    // WebKit reports 0 for a file it cannot play, recorded WebM often Infinity: neither is a duration.
    const duration = Number.isFinite(video.duration) && video.duration > 0 ? video.duration : undefined;
    let frame: ImageBitmap | undefined;
    if (video.videoWidth > 0) {
      // A tenth in (past black intro frames); recorded WebM often has no duration: its first frame then.
      await showFrame(video, duration !== undefined ? Math.min(duration * 0.1, 5) : 0, budget);
      frame = await bitmapOf(video, budget);
    }
    return { duration, frame };
  } catch {
    return {};
  } finally {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}

/**
 * Brings the frame at `at` seconds (or, failing that, the first one) into the video, decoded.
 * With preload 'metadata' Firefox may stop loading before any frame (it fires 'suspend' right after
 * the metadata): the first-frame path then never saw 'loadeddata' (the poster test's recorded WebM,
 * 1 run in 3-5), and a seek made then may wait on data the element is not fetching. So the data is
 * asked for before anything waits on a frame, and a seek that still stalls falls back to the start.
 * A seek to where the video already is would be one some engines report no 'seeked' for: not made.
 */
async function showFrame(video: HTMLVideoElement, at: number, budget: AbortSignal): Promise<void> {
  video.preload = 'auto';
  if (at > 0 && Math.abs(video.currentTime - at) > 0.001) {
    video.currentTime = at;
    try {
      await once(video, 'seeked', budget, SEEK_WAIT_MS);
      return;
    } catch (error) {
      if (budget.aborted) throw error;
    }
    // The first frame instead: a new seek replaces a stuck one; a video still at the start needs none.
    if (video.seeking || video.currentTime > 0.001) {
      video.currentTime = 0;
      await once(video, 'seeked', budget);
      return;
    }
  }
  if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) await once(video, 'loadeddata', budget);
}

/**
 * The current frame as a small bitmap. Right after 'seeked', with readyState already
 * HAVE_ENOUGH_DATA, Chromium can still refuse ("InvalidStateError: The image source is not usable")
 * while the decoded frame is not ready; a loaded machine made this happen in about 1 test run in 3.
 * It is tried again every 100 ms until the budget ends.
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

/** The bitmap, unless the budget ends first: one made after that is closed, never kept. */
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

/** The media event `name`, or a rejection on a media error, at the end of the budget or after `timeoutMs`. */
function once(target: HTMLMediaElement, name: string, budget: AbortSignal, timeoutMs?: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => done(new Error(`no ${name} within ${timeoutMs} ms`)), timeoutMs);
    const done = (error?: unknown): void => {
      clearTimeout(timer);
      target.removeEventListener(name, ok);
      target.removeEventListener('error', fail);
      budget.removeEventListener('abort', over);
      if (error) reject(error);
      else resolve();
    };
    const ok = (): void => done();
    const fail = (): void => done(new Error('media error'));
    const over = (): void => done(budget.reason);
    if (budget.aborted) return over();
    target.addEventListener(name, ok);
    target.addEventListener('error', fail);
    budget.addEventListener('abort', over);
  });
}

/** Paints a frame into a canvas, keeping its aspect ratio within the canvas box. */
export function paintPoster(canvas: HTMLCanvasElement, frame: ImageBitmap): void {
  canvas.width = frame.width;
  canvas.height = frame.height;
  canvas.getContext('2d')?.drawImage(frame, 0, 0);
}
