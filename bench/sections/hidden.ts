// Section `hidden`: what a hidden tab does to an upload, in a Chromium whose hidden pages are
// throttled as a user's background tab (test/e2e/helpers/hidden-chromium.ts: intensive wake-up
// throttling after a 10 s grace period instead of 5 min). The same file is uploaded by the element
// from a visible page and from a hidden one (hidden for longer than the grace period) to the same
// demo server with 4-second signatures; then single 5xx answers are injected into an upload in a
// hidden page, to see how late each retry reaches the server. The store's lag (bytes the element
// has counted as sent but IndexedDB does not hold yet: what a crash would lose) is sampled every
// 250 ms throughout.

import type { Page } from '@playwright/test';
import { elementPageUrl } from '../../test/e2e/helpers/element-page.js';
import { storedSessions } from '../../test/e2e/helpers/faults.js';
import { FaultServer, KiB, MiB } from '../../test/e2e/helpers/fault-server.js';
import { makeTestFile } from '../../test/e2e/helpers/files.js';
import { chainedTimersMs, injectRetries, launchThrottlingChromium, recordRetryDelays } from '../../test/e2e/helpers/hidden-chromium.js';
import type { BrowserHarness } from '../lib/browser.js';
import { formatSize } from '../lib/args.js';

const GRACE_SECONDS = 10;
const FILE_BYTES = 64 * MiB;
const SLICE_BYTES = 256 * KiB;
const SIGNATURE_TTL_SECONDS = 4;
/** Every request waits this long at the server: a modest latency, so the uploads last for a while. */
const SERVER_DELAY_MS = 20;
const RETRIES = 8;

export interface HiddenUploadRun {
  visibility: 'visible' | 'hidden';
  /** Server side: first request start to last request end. */
  ms: number;
  mbPerSecond: number;
  signatureRequests: number;
  /** -96 (expired signature) answers during the run. */
  expiredSignatures: number;
  /** Largest sampled (element's uploadedBytes − bytes in the stored session). */
  maxStoreLagBytes: number;
  shaOk: boolean;
}

export interface HiddenSectionResult {
  graceSeconds: number;
  fileBytes: number;
  sliceBytes: number;
  /** Three chained 10 ms page timers, visible and hidden. */
  chainedTimersMs: { visible: number; hidden: number };
  runs: HiddenUploadRun[];
  /** ms after the announced backoff at which each retry reached the server (hidden page). */
  retryLateMs: number[];
  shaOk: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`hidden: timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Samples the store's lag until the page's upload is done. */
async function uploadAndSample(page: Page, path: string, filePath: string): Promise<{ maxLag: number }> {
  await page.locator('vod-uploader [part=input]').setInputFiles(filePath);
  let maxLag = 0;
  for (;;) {
    const status = await page.evaluate(() => document.querySelector('vod-uploader')?.uploads[0]?.status);
    if (status === 'done') return { maxLag };
    if (status === 'error') throw new Error(`hidden: the upload of ${path} failed`);
    const sent = await page.evaluate(() => document.querySelector('vod-uploader')?.uploads[0]?.uploadedBytes ?? 0);
    const stored = (await storedSessions(page)).find((s) => path.endsWith(`/${s.name}`));
    const storedBytes = stored ? stored.acked.reduce((sum, [from, to]) => sum + (to - from), 0) : 0;
    if (stored) maxLag = Math.max(maxLag, sent - storedBytes);
    await sleep(250);
  }
}

export async function runHiddenSection(h: BrowserHarness, log: (line: string) => void): Promise<HiddenSectionResult> {
  const server = await FaultServer.start({ sliceSize: SLICE_BYTES, signatureTtlSeconds: SIGNATURE_TTL_SECONDS });
  server.setFaults({ delayMs: SERVER_DELAY_MS });
  // One file per upload: the server would take a second upload of the same content as instant.
  const files = { visible: makeTestFile(FILE_BYTES), hidden: makeTestFile(FILE_BYTES), retrying: makeTestFile(FILE_BYTES) };
  const nameOf = (folder: keyof typeof files): string => files[folder].path.split(/[\\/]/).pop()!;
  const chromium = await launchThrottlingChromium(GRACE_SECONDS);
  try {
    const open = async (folder: string, concurrency?: number): Promise<Page> => {
      const page = await chromium.context.newPage();
      const extra: Record<string, string> = { folder, ...(concurrency ? { 'attr-concurrency': String(concurrency) } : {}) };
      await page.goto(h.origin + elementPageUrl(server, extra));
      await page.evaluate(() => customElements.whenDefined('vod-uploader'));
      return page;
    };
    const runs: HiddenUploadRun[] = [];
    const measure = async (page: Page, visibility: HiddenUploadRun['visibility']): Promise<void> => {
      const file = files[visibility];
      const path = `/${visibility}/${nameOf(visibility)}`;
      const before = { ...server.stats, rejected: { ...server.stats.rejected } };
      const { maxLag } = await uploadAndSample(page, path, file.path);
      const requests = server.requests.filter((r) => r.path === path);
      const ms = requests.at(-1)!.end! - requests[0]!.start;
      const run: HiddenUploadRun = {
        visibility,
        ms,
        mbPerSecond: FILE_BYTES / MiB / (ms / 1000),
        signatureRequests: server.stats.signatureRequests - before.signatureRequests,
        expiredSignatures: (server.stats.rejected['-96'] ?? 0) - (before.rejected['-96'] ?? 0),
        maxStoreLagBytes: maxLag,
        shaOk: server.stats.paths[path]?.sha === file.sha1,
      };
      log(`  ${visibility}: ${run.mbPerSecond.toFixed(1)} MB/s, ${run.signatureRequests} signature requests, ${run.expiredSignatures} × -96, store lag ≤ ${formatSize(maxLag)}`);
      runs.push(run);
    };

    const visible = await open('visible');
    const visibleTimers = await chainedTimersMs(visible);
    await measure(visible, 'visible');
    await visible.close();

    const hidden = await open('hidden');
    const retrying = await open('retrying', 1);
    await recordRetryDelays(retrying);
    await chromium.hide(hidden);
    await chromium.hide(retrying);
    await sleep((GRACE_SECONDS + 2) * 1000);
    const hiddenTimers = await chainedTimersMs(hidden);
    await measure(hidden, 'hidden');

    await retrying.locator('vod-uploader [part=input]').setInputFiles(files.retrying.path);
    const retryPath = `/retrying/${nameOf('retrying')}`;
    await waitFor('the retry upload to send', () => server.requests.some((r) => r.path === retryPath && r.status === 200));
    const retryLateMs = await injectRetries(retrying, server, retryPath, RETRIES, { delayMs: SERVER_DELAY_MS }, waitFor);
    log(`  retries in a hidden page, ms after their backoff: ${retryLateMs.join(', ')}`);
    return {
      graceSeconds: GRACE_SECONDS,
      fileBytes: FILE_BYTES,
      sliceBytes: SLICE_BYTES,
      chainedTimersMs: { visible: visibleTimers, hidden: hiddenTimers },
      runs,
      retryLateMs,
      shaOk: runs.every((r) => r.shaOk),
    };
  } finally {
    await chromium.close();
    Object.values(files).forEach((f) => f.cleanup());
    await server.dispose();
  }
}

export function renderHidden(r: HiddenSectionResult): string {
  const rows = r.runs.map(
    (x) => `| ${x.visibility} | ${x.mbPerSecond.toFixed(1)} | ${(x.ms / 1000).toFixed(1)} | ${x.signatureRequests} | ${x.expiredSignatures} | ${formatSize(x.maxStoreLagBytes)} | ${x.shaOk ? 'ok' : 'WRONG'} |`,
  );
  const late = [...r.retryLateMs].sort((a, b) => a - b);
  return [
    `\n### Hidden tab (intensive wake-up throttling after ${r.graceSeconds} s; ${formatSize(r.fileBytes)} file, ${formatSize(r.sliceBytes)} slices, ${SIGNATURE_TTL_SECONDS} s signatures, ${SERVER_DELAY_MS} ms server delay)\n`,
    `Three chained 10 ms page timers: ${r.chainedTimersMs.visible.toFixed(0)} ms visible, ${r.chainedTimersMs.hidden.toFixed(0)} ms hidden.\n`,
    '| page | MB/s | s | signature requests | -96 | store lag (max) | sha |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    `\nRetries in a hidden page (${late.length}), ms after the announced backoff: median ${late[Math.floor(late.length / 2)] ?? '-'}, max ${late.at(-1) ?? '-'} (all: ${r.retryLateMs.join(', ')}).`,
  ].join('\n');
}
