// The product bench page: one <vod-uploader> set up from the query string (endpoint, signatureUrl,
// appid, bucket, folder, concurrency). Records a timeline of its snapshots, polled every 20 ms and on
// every vod-upload-* event (progress events are throttled to 5/s: too coarse for the phase ends).

import { fetchStats } from './fetch-stats.js'; // first: wraps fetch before the element loads
import { workerStats, type WorkerStats } from './worker-stats.js'; // wraps Worker before the element loads
import '../../src/vod-uploader.js';
import { elementFromQuery } from './element-from-query.js';
import type { UploadSnapshot } from '../../src/engine/types.js';
import type { FetchStats } from '../lib/measure.js';

export interface TimelinePoint {
  t: number;
  status: UploadSnapshot['status'];
  hashedBytes: number;
  uploadedBytes: number;
}

export interface ProductRun {
  /** performance.now() when the element reported the file (vod-upload-add). */
  addedAt?: number;
  /** First time the whole file was hashed and the upload moved on (status uploading or done). */
  hashedAt?: number;
  /** First snapshot with uploadedBytes > 0 after the hash: the first slice the server acknowledged. */
  firstSliceAt?: number;
  /** vod-upload-success. */
  doneAt?: number;
  /** hashedBytes at the first snapshot past 'queued': the full size when the sha was kept (resume). */
  firstHashedBytes?: number;
  firstUploadedBytes?: number;
  sawHashing: boolean;
  error?: string;
  /** The latest snapshot's figures (the timeline below is thinned). */
  latest?: TimelinePoint;
  /**
   * Status changes and at most one point per 250 ms, capped: the bench's own record must not grow
   * with the file, or the memory section would measure it.
   */
  timeline: TimelinePoint[];
  fetch: FetchStats;
  workers: WorkerStats;
}

const TIMELINE_STEP_MS = 250;
const TIMELINE_MAX = 1000;

const params = new URLSearchParams(location.search);
const element = elementFromQuery(params);

const run: ProductRun = { sawHashing: false, timeline: [], fetch: fetchStats, workers: workerStats };

function observe(): void {
  const upload = element.uploads[0];
  if (!upload) return;
  const t = performance.now();
  const point = { t, status: upload.status, hashedBytes: upload.hashedBytes, uploadedBytes: upload.uploadedBytes };
  run.latest = point;
  const last = run.timeline.at(-1);
  if (!last || last.status !== point.status || (t - last.t >= TIMELINE_STEP_MS && run.timeline.length < TIMELINE_MAX)) {
    run.timeline.push(point);
  }
  // A just-added upload is 'queued' with 0 bytes until its stored session is read: not yet telling.
  if (upload.status !== 'queued') {
    run.firstHashedBytes ??= upload.hashedBytes;
    run.firstUploadedBytes ??= upload.uploadedBytes;
  }
  if (upload.status === 'hashing') run.sawHashing = true;
  reloadWhenHashed(upload.status, upload.hashedBytes, upload.size);
  const hashed = upload.hashedBytes >= upload.size && upload.status !== 'hashing' && upload.status !== 'queued';
  if (hashed) run.hashedAt ??= t;
  if (run.hashedAt !== undefined && upload.uploadedBytes > (run.firstUploadedBytes ?? 0)) run.firstSliceAt ??= t;
  if (upload.status === 'error') run.error = upload.error ? `${upload.error.code} ${upload.error.message}` : 'error';
}

/**
 * The resume section's checkpoint path: with `?reloadAtHashed=0.5` the page reloads itself, once, as
 * soon as it sees that share of the file hashed (from the page, so no driver round trip lets the
 * worker run on), and leaves the hashed bytes it saw in sessionStorage for the driver.
 */
const RELOADED_KEY = 'benchReloadedAtHashedBytes';
function reloadWhenHashed(status: string, hashedBytes: number, size: number): void {
  const share = Number(params.get('reloadAtHashed') ?? NaN);
  if (!(share > 0) || status !== 'hashing' || hashedBytes < share * size || sessionStorage.getItem(RELOADED_KEY) !== null) return;
  sessionStorage.setItem(RELOADED_KEY, String(hashedBytes));
  location.reload();
}

const poll = setInterval(observe, 20);
element.addEventListener('vod-upload-add', () => {
  run.addedAt ??= performance.now();
  observe();
});
for (const type of ['vod-upload-start', 'vod-upload-progress', 'vod-upload-error', 'vod-upload-retry'] as const) {
  element.addEventListener(type, observe);
}
element.addEventListener('vod-upload-success', () => {
  observe();
  run.doneAt = performance.now();
  clearInterval(poll);
});

declare global {
  interface Window {
    __benchProduct: ProductRun;
  }
}
window.__benchProduct = run;
