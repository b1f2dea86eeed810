// Fault injection, signatures: short-lived signatures renewed one request at a time (before expiry
// and after a -96), and a signature endpoint that is down, forbids, answers a login page or garbage.
// Real Chromium, the real demo server on another origin; counts are the server's own.
import type { Page } from '@playwright/test';
import type { TestFile } from './helpers/files.js';
import { elementPageUrl, recordedEvents, recordUploadErrors, uploadErrors } from './helpers/element-page.js';
import { expect, KiB, suiteResources, test, type FaultServer, type FaultServerOptions } from './helpers/faults.js';
import type { Faults } from '../../demo/server/protocol-server.js';

test.describe('signature faults', () => {
  test.describe.configure({ mode: 'parallel' });
  const resources = suiteResources();
  const make = (size: number): TestFile => resources.file(size);
  const serve = (options: Partial<FaultServerOptions> = {}): Promise<FaultServer> =>
    resources.server({ sliceSize: 256 * KiB, ...options });
  const open = async (page: Page, server: FaultServer, dir: string, file: TestFile): Promise<string> => {
    await recordUploadErrors(page);
    await page.goto(elementPageUrl(server, { folder: dir }));
    await page.evaluate(() => customElements.whenDefined('vod-uploader'));
    await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
    return `/${dir}/${file.path.split(/[\\/]/).pop()}`;
  };

  test('3-second signatures: always renewed before expiry (no -96), one request at a time', async ({ page }) => {
    const server = await serve({ signatureTtlSeconds: 3, sliceSize: 64 * KiB });
    // 40 ms per request keeps the upload going for several lifetimes even on an idle machine.
    server.setFaults({ delayMs: 40, signatureDelayMs: 200 });
    const file = make(400 * server.sliceSize + 5);
    const path = await open(page, server, 'ttl-ahead', file);
    await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done', { timeout: 50_000 });

    const stats = server.stats;
    expect(stats.paths[path]).toMatchObject({ sha: file.sha1, completed: 1 });
    const requests = server.requests.filter((r) => r.path === path);
    const seconds = (requests.at(-1)!.end! - requests[0]!.start) / 1000;
    expect(seconds).toBeGreaterThan(4);
    // Signed at second t, a signature lives 2-3 s here: renewing at 0.8 of what the client can be
    // sure of keeps every request inside it, even with a renewal taking 200 ms.
    expect(stats.rejected).toEqual({});
    expect(stats.maxConcurrentSignatureRequests).toBe(1);
    expect(stats.signatureRequests).toBeGreaterThanOrEqual(Math.floor(seconds / 3));
    expect(stats.signatureRequests).toBeLessThanOrEqual(Math.ceil(seconds / (0.8 * 2)) + 2);
    test.info().annotations.push({ type: 'measured', description: `${seconds.toFixed(1)} s, ${stats.signatureRequests} signature requests` });
  });

  test('3-second signatures, 2 s latency: any -96 is renewed and re-sent, one request at a time, no burst', async ({ page }) => {
    // 2 s of latency per request can make slices reach the server after their signature expired.
    // Whether one does depends on timing (the client renews early and conservatively), so this test
    // does not require a -96; it requires that the upload never fails and signature requests never
    // overlap or burst. The -96 → renew → resend path itself is checked deterministically against the
    // real server in test/unit/protocol-demo-server.test.ts and in the engine's unit tests.
    const server = await serve({ signatureTtlSeconds: 3 });
    server.setFaults({ delayMs: 2000, signatureDelayMs: 200 });
    const file = make(30 * server.sliceSize + 3);
    const path = await open(page, server, 'ttl', file);
    const row = page.locator('vod-uploader [part=file]');
    await expect(row).toHaveAttribute('data-status', 'done', { timeout: 50_000 });

    const stats = server.stats;
    expect(stats.paths[path]).toMatchObject({ sha: file.sha1, completed: 1 });
    expect(stats.paths[path]!.bytesReceived - stats.paths[path]!.bytesDuplicate).toBe(file.size);
    const requests = server.requests.filter((r) => r.path === path);
    const seconds = (requests.at(-1)!.end! - requests[0]!.start) / 1000;
    // Long enough that a signature had to be renewed several times.
    expect(seconds).toBeGreaterThan(9);
    expect(stats.maxConcurrentSignatureRequests).toBe(1);
    const expired = stats.rejected['-96'] ?? 0;
    // Renewals: one per 0.8 of the lifetime the client can be sure of (3 s signed at a whole second:
    // 2 s), plus the first and the ones after a -96 (shared by the slices refused together).
    expect(stats.signatureRequests).toBeLessThanOrEqual(Math.ceil(seconds / (0.8 * 2)) + 3);
    expect(stats.signatureRequests).toBeGreaterThanOrEqual(Math.floor(seconds / 3));
    // Any -96 was recovered from (the upload finished without an error), and nothing else was refused.
    expect(Object.keys(stats.rejected).filter((code) => code !== '-96')).toEqual([]);
    expect((await recordedEvents(page)).some((e) => e.type === 'vod-upload-error')).toBe(false);
    test.info().annotations.push({
      type: 'measured',
      description: `${seconds.toFixed(1)} s, ${stats.signatureRequests} signature requests, ${expired} × -96, duplicate bytes ${stats.paths[path]!.bytesDuplicate}`,
    });
  });

  const reasons: Array<[NonNullable<Faults['signature']>, RegExp]> = [
    ['down', /HTTP 503 from the signature endpoint/],
    ['403', /HTTP 403 from the signature endpoint: Forbidden/],
    ['html', /answered an HTML page instead of a signature/],
    ['garbage', /not a valid signature/],
  ];
  for (const [fault, reason] of reasons) {
    test(`signature endpoint "${fault}" mid-upload: retrying with the reason, goes on by itself when it answers again`, async ({ page }) => {
      const server = await serve({ signatureTtlSeconds: 3 });
      server.setFaults({ delayMs: 300 });
      const file = make(60 * server.sliceSize + 1);
      const path = await open(page, server, `sig-${fault}`, file);
      await expect.poll(() => server.stats.paths[path]?.bytesReceived ?? 0).toBeGreaterThanOrEqual(4 * server.sliceSize);

      // The cached signature runs out within 3 s; every renewal then fails.
      server.setFaults({ delayMs: 300, signature: fault });
      const row = page.locator('vod-uploader [part=file]');
      await expect(row).toHaveAttribute('data-status', 'retrying', { timeout: 10_000 });
      await expect(row.locator('[part=status]')).toHaveText(/^Retrying in \d+ seconds?: Could not get permission to upload \(signature\)\. \(code \S+\)$/);
      // The reason comes with the vod-upload-retry event.
      await expect.poll(async () => (await uploadErrors(page)).filter((e) => e.kind === 'signature').map((e) => e.message)).toContainEqual(
        expect.stringMatching(reason),
      );
      const during = server.stats.paths[path]!.bytesReceived;
      expect(during).toBeLessThan(file.size);

      server.setFaults({ delayMs: 300 });
      await expect(row).toHaveAttribute('data-status', 'done', { timeout: 40_000 });
      const p = server.stats.paths[path]!;
      expect(p.sha).toBe(file.sha1);
      // Nothing lost: what the server had is not sent again beyond the slices in flight at the break.
      expect(p.bytesReceived - p.bytesDuplicate).toBe(file.size);
      expect(p.bytesDuplicate).toBeLessThanOrEqual(server.maxOpen(path) * server.sliceSize);
      expect((await uploadErrors(page)).some((e) => e.type === 'vod-upload-error')).toBe(false);
    });
  }

  test('signature endpoint keeps answering a login page: an error in the UI and in vod-upload-error; Retry finishes it, nothing lost', async ({
    page,
  }) => {
    // A fake clock lets the backoff (up to 30 s a step) and the signature's hour pass at once.
    await page.clock.install();
    const server = await serve();
    server.setFaults({ delayMs: 200 });
    const file = make(24 * server.sliceSize + 11);
    const path = await open(page, server, 'sig-error', file);
    await expect.poll(() => server.stats.paths[path]?.bytesReceived ?? 0).toBeGreaterThanOrEqual(4 * server.sliceSize);

    server.setFaults({ delayMs: 200, signature: 'html' });
    await page.clock.fastForward(3_700_000); // past the signature's expiry (it lives one hour)
    const row = page.locator('vod-uploader [part=file]');
    await expect
      .poll(async () => {
        await page.clock.fastForward(31_000);
        return row.getAttribute('data-status');
      })
      .toBe('error');
    await expect(row.locator('[part=status]')).toHaveText('Could not get permission to upload (signature). (code signature)');
    await expect(page.locator('vod-uploader').getByRole('status')).toContainText('failed');
    const errors = await uploadErrors(page, 'vod-upload-error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'signature', message: expect.stringMatching(/HTML page instead of a signature/) });
    const before = server.stats.paths[path]!.bytesReceived;
    expect(before).toBeLessThan(file.size);

    server.setFaults({ delayMs: 200 });
    await row.getByRole('button', { name: /^Retry / }).click();
    await expect
      .poll(async () => {
        await page.clock.fastForward(1000);
        return row.getAttribute('data-status');
      })
      .toBe('done');
    const p = server.stats.paths[path]!;
    expect(p.sha).toBe(file.sha1);
    expect(p.bytesReceived - p.bytesDuplicate).toBe(file.size);
    // Two breaks: the clock jump (requests in flight time out) and the signature failure.
    expect(p.bytesDuplicate).toBeLessThanOrEqual(2 * server.maxOpen(path) * server.sliceSize);
  });
});
