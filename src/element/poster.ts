// Poster frames and durations read from the video itself, lazily and one at a time: a hidden
// <video> seeks to a tenth of the clip and the frame is painted into the row's <canvas>. Failures
// (unknown codec, a CSP without `blob:` in media-src) leave the plain placeholder; nothing waits.
// Under a CSP without `media-src blob:` the first attempt is refused (one report) and no more are made.

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
    job = chain.then(() => extract(file)).catch(() => ({}));
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

async function extract(file: File): Promise<PosterInfo> {
  if (typeof document === 'undefined' || blockedByCsp) return {};
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'metadata';
  video.playsInline = true;
  const url = URL.createObjectURL(file);
  try {
    video.src = url;
    await once(video, 'loadedmetadata', 8000);
    // WebKit reports 0 for a file it cannot play, recorded WebM often Infinity: neither is a duration.
    const duration = Number.isFinite(video.duration) && video.duration > 0 ? video.duration : undefined;
    let frame: ImageBitmap | undefined;
    if (video.videoWidth > 0) {
      // A tenth in (past black intro frames); recorded WebM often has no duration: its first frame then.
      const at = duration !== undefined ? Math.min(duration * 0.1, 5) : 0;
      if (at > 0) {
        video.currentTime = at;
        await once(video, 'seeked', 8000);
      } else if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) {
        // With preload 'metadata' Firefox may stop before the first frame and never fire 'loadeddata'
        // (the poster test's recorded WebM: 1 run in 3-5 kept its placeholder): ask for the data.
        video.preload = 'auto';
        await once(video, 'loadeddata', 8000);
      }
      frame = await bitmapOf(video);
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
 * The current frame as a small bitmap. Right after 'seeked', with readyState already
 * HAVE_ENOUGH_DATA, Chromium can still refuse ("InvalidStateError: The image source is not usable")
 * while the decoded frame is not ready; a loaded machine made this happen in about 1 test run in 3.
 * It is tried again for up to a second before the poster is given up.
 */
async function bitmapOf(video: HTMLVideoElement): Promise<ImageBitmap> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createImageBitmap(video, { resizeWidth: 192, resizeQuality: 'medium' });
    } catch (error) {
      if (attempt >= 10 || !(error instanceof DOMException && error.name === 'InvalidStateError')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function once(target: HTMLMediaElement, name: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('timeout')), timeoutMs);
    const done = (error?: Error): void => {
      clearTimeout(timer);
      target.removeEventListener(name, ok);
      target.removeEventListener('error', fail);
      if (error) reject(error);
      else resolve();
    };
    const ok = (): void => done();
    const fail = (): void => done(new Error('media error'));
    target.addEventListener(name, ok);
    target.addEventListener('error', fail);
  });
}

/** Paints a frame into a canvas, keeping its aspect ratio within the canvas box. */
export function paintPoster(canvas: HTMLCanvasElement, frame: ImageBitmap): void {
  canvas.width = frame.width;
  canvas.height = frame.height;
  canvas.getContext('2d')?.drawImage(frame, 0, 0);
}
