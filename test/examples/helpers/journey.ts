// The journey every example app goes through, against the real protocol server: choose a file of
// several MiB, leave the upload page by a client-side route change while it is sent, see the upload
// go on (the page-wide indicator, the server receiving bytes), come back, and see the same upload
// finish: one create request, the sha the server verified equal to the file's, the success event
// shown by the app (received the framework's way), the function properties called, the form field
// bound to the element's value. No page error and no console error on the way (hydration included).
import { basename } from 'node:path';
import type { Page } from '@playwright/test';
import { makeTestFile } from '../../e2e/helpers/files.js';
import { uniqueName, type TestServer } from '../../e2e/helpers/server.js';
import { expect, type ExampleApp } from './example-app.js';

const FILE_SIZE = 16 * 1024 * 1024;
/** Slows every upload request, so 64 slices at 5 in flight take seconds: time to leave and come back. */
const REQUEST_DELAY_MS = 250;

export interface JourneyOptions {
  /** The upload page's path, e.g. `/#/upload` or `/upload`. */
  start: string;
  /** The app's `folder` attribute: the resource path is `/{folder}/{name}`. */
  folder: string;
}

export async function uploadAcrossRouteChange(page: Page, server: TestServer, app: ExampleApp, options: JourneyOptions): Promise<void> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  const file = makeTestFile(FILE_SIZE, { name: uniqueName(`example-${app.name}`) });
  const path = `/${options.folder}/${basename(file.path)}`;
  const stats = () => server.stats.paths[path];
  try {
    server.setFaults({ delayMs: REQUEST_DELAY_MS });
    await page.goto(`${app.url}${options.start}`);
    const uploader = page.locator('vod-uploader');
    // A server-rendered app enables the element once it is hydrated and wired (examples/next).
    await expect(uploader).not.toHaveAttribute('disabled');
    await uploader.locator('input[type=file]').setInputFiles(file.path);

    // Mid-upload: the server has slices, not the file. Leave by a client-side route change.
    await expect.poll(() => stats()?.sliceRequests ?? 0).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'About' }).click();
    await expect(page.getByRole('heading', { name: 'About' })).toBeVisible();
    await expect(uploader).toHaveCount(0);
    await expect(page.getByTestId('running')).toHaveText('1 upload running');
    // Unmounted, the upload goes on.
    const receivedWhenLeft = stats()!.bytesReceived;
    await expect.poll(() => stats()!.bytesReceived).toBeGreaterThan(receivedWhenLeft + 2 * server.sliceSize);
    expect(stats()!.completed, 'the upload finished while the page was away: slow it down').toBe(0);

    // Back: the new element shows the same upload, which finishes there.
    await page.getByRole('link', { name: 'Upload' }).click();
    await expect(uploader.locator('[part~="file"]')).toHaveCount(1);
    await expect(page.getByTestId('success')).toContainText(path, { timeout: 60_000 });
    await expect(page.getByTestId('form-value')).toHaveText(path);
    await expect(page.getByTestId('running')).toHaveText('idle');

    expect(stats()).toMatchObject({ completed: 1, createRequests: 1, sha: file.sha1 });
    expect(Number(await page.getByTestId('signature-calls').textContent())).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('metadata-calls').textContent())).toBe(1);
    expect(problems).toEqual([]);
  } finally {
    server.setFaults({});
    file.cleanup();
  }
}
