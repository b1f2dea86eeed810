// Shared steps of the element's end-to-end tests: open the test page pointed at the test server,
// read the recorded events, choose files through the part=input.
import { createHash } from 'node:crypto';
import type { FileChooser, Locator, Page } from '@playwright/test';
import type { TestServer } from './server.js';

export interface RecordedEvent {
  type: string;
  id?: string;
  status?: string;
  uploadedBytes?: number;
  reason?: string;
  message?: string;
  instant?: boolean;
  resourcePath?: string;
  at: number;
}

/** What the element test page needs to know of a server: the test server and the fault server both have it. */
export type PageServer = Pick<TestServer, 'endpoint' | 'signatureUrl' | 'appid' | 'bucket'>;

/** The element test page (test/e2e/pages/element.html) pointed at `server`. */
export function elementPageUrl(server: PageServer, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    endpoint: server.endpoint,
    signatureUrl: server.signatureUrl,
    appid: server.appid,
    bucket: server.bucket,
    ...extra,
  });
  return `/test/e2e/pages/element.html?${q}`;
}

export async function openElementPage(page: Page, server: TestServer, extra: Record<string, string> = {}): Promise<Locator> {
  await page.goto(elementPageUrl(server, extra));
  await page.evaluate(() => customElements.whenDefined('vod-uploader'));
  return page.locator('vod-uploader');
}

export function recordedEvents(page: Page): Promise<RecordedEvent[]> {
  return page.evaluate(() => window.vodEvents);
}

export async function choose(page: Page, files: Array<{ name: string; buffer: Buffer; mimeType?: string }>): Promise<void> {
  await page
    .locator('vod-uploader [part=input]')
    .setInputFiles(files.map((f) => ({ name: f.name, mimeType: f.mimeType ?? 'video/mp4', buffer: f.buffer })));
}

/**
 * The file chooser that `action` opens. Playwright turns the browser's file-chooser interception on
 * when the first 'filechooser' listener is added, without waiting for it, and dispatches the next
 * call (a key press, a click) concurrently: on a loaded machine the input event can reach Chromium
 * first, its chooser is then not intercepted (headless cancels it) and the event never comes (the
 * race puppeteer#6040 describes for the same CDP command). So: subscribe, make a round trip through
 * the page (the interception command is sent by then), then act.
 */
export async function fileChooserFrom(page: Page, action: () => Promise<unknown>): Promise<FileChooser> {
  const opened = page.waitForEvent('filechooser', { timeout: 15_000 });
  opened.catch(() => undefined); // awaited below; this only keeps an early failure from being unhandled
  await page.evaluate(() => undefined);
  await action();
  return opened;
}

export function sha1(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** One `vod-upload-error` or `vod-upload-retry`, as recorded by recordUploadErrors. */
export interface UploadErrorRecord {
  type: 'vod-upload-error' | 'vod-upload-retry';
  name: string;
  code: string | number;
  kind: string;
  message: string;
  retryable: boolean;
}

/** Records every `vod-upload-error` and `vod-upload-retry` of the page from its load on (call before goto). */
export async function recordUploadErrors(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const list: unknown[] = [];
    (window as unknown as { uploadErrors: unknown[] }).uploadErrors = list;
    for (const type of ['vod-upload-error', 'vod-upload-retry']) {
      document.addEventListener(type, (event) => {
        type Detail = { upload: { name: string }; error?: { code: string | number; kind: string; message: string; retryable: boolean } };
        const { upload, error } = (event as CustomEvent<Detail>).detail;
        if (error) list.push({ type, name: upload.name, code: error.code, kind: error.kind, message: error.message, retryable: error.retryable });
      });
    }
  });
}

/** What recordUploadErrors has seen so far, of one type or both. */
export async function uploadErrors(page: Page, type?: UploadErrorRecord['type']): Promise<UploadErrorRecord[]> {
  const all = await page.evaluate(() => (window as unknown as { uploadErrors: UploadErrorRecord[] }).uploadErrors);
  return type ? all.filter((e) => e.type === type) : all;
}
