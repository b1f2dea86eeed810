// The many-files bench page: one <vod-uploader multiple> set up from the query string (endpoint,
// signatureUrl, appid, bucket, folder, parallelFiles), counting its per-file events. Records only
// counters and a few times: the page's own record must not grow with the number of files.

import { fetchStats } from './fetch-stats.js'; // first: wraps fetch before the element loads
import '../../src/vod-uploader.js';
import { elementFromQuery } from './element-from-query.js';
import type { FetchStats } from '../lib/measure.js';

export interface ManyRun {
  added: number;
  done: number;
  /** performance.now() of the file input's change event: the pick is over, the product's work begins. */
  pickedAt?: number;
  /** performance.now() of the first vod-upload-add and of the latest vod-upload-success. */
  firstAddAt?: number;
  lastAddAt?: number;
  lastDoneAt?: number;
  /** The first few errors (code and message). */
  errors: string[];
  errorCount: number;
  fetch: FetchStats;
}

const params = new URLSearchParams(location.search);
const element = elementFromQuery(params, { multiple: '' });

const run: ManyRun = { added: 0, done: 0, errors: [], errorCount: 0, fetch: fetchStats };
element.addEventListener('vod-upload-add', () => {
  run.added++;
  run.firstAddAt ??= performance.now();
  run.lastAddAt = performance.now();
});
element.addEventListener('vod-upload-success', () => {
  run.done++;
  run.lastDoneAt = performance.now();
});
element.addEventListener('vod-upload-error', (e) => {
  run.errorCount++;
  if (run.errors.length < 5) run.errors.push(`${e.detail.upload.name}: ${String(e.detail.error.code)} ${e.detail.error.message}`);
});

declare global {
  interface Window {
    __benchMany: { run: ManyRun; shadowNodes(): number; watchPick(): Promise<void> };
  }
}
window.__benchMany = {
  run,
  shadowNodes: () => element.shadowRoot?.querySelectorAll('*').length ?? 0,
  /** Listens for the pick on the element's own input (its 'change' does not leave the shadow root). */
  async watchPick() {
    await element.updateComplete;
    element.shadowRoot?.querySelector('input[type=file]')?.addEventListener('change', () => (run.pickedAt ??= performance.now()), { capture: true });
  },
};
