// Hidden tabs: a retry scheduled while the page is hidden, under Chromium's intensive wake-up
// throttling (grace period cut to 10 s), fires within its backoff. The real demo server fails single
// slice requests with a 5xx; the server's own clock says when each failure ended and when the retry
// arrived, and the page's vod-upload-retry event says how long the backoff was meant to be.
// Page timers there wake on whole seconds (and chained ones once a minute): a retry on one is up to
// a second late, which the tolerance below does not allow; the timer worker's is not (worker-timers.ts).
import { test, expect } from '@playwright/test';
import { elementPageUrl } from './helpers/element-page.js';
import { KiB, suiteResources } from './helpers/faults.js';
import { chainedTimersMs, injectRetries, launchThrottlingChromium, recordRetryDelays } from './helpers/hidden-chromium.js';

/**
 * How late a retry may reach the server after its backoff: the failure's answer, an event, a request.
 * Measured on the shared 2 cores: 7-338 ms on the timer worker (most under 60), 530-978 ms on page timers (1 s
 * wake-ups: lateness spread over 0-1000 ms, so the largest of 5 exceeds this in ~99 % of runs).
 */
const TOLERANCE_MS = 400;
const RETRIES = 5;
const GRACE_SECONDS = 10;

test.describe('hidden tab', () => {
  const resources = suiteResources();

  test('a retry scheduled in a hidden, intensively throttled page fires within its backoff', async ({ browserName, baseURL }) => {
    test.skip(browserName !== 'chromium', 'Chromium only: Firefox cannot be made to hide a page under Playwright, and its background throttling is not the one measured here');
    test.setTimeout(150_000);
    const server = await resources.server({ sliceSize: 64 * KiB });
    const delayMs = 60; // every request: the upload lasts through the grace period and the retries
    server.setFaults({ delayMs });
    const file = resources.file(500 * server.sliceSize + 7);
    const chromium = await launchThrottlingChromium(GRACE_SECONDS);
    try {
      await chromium.context.routeWebSocket(/.*/, () => undefined); // no Vite reload mid-upload
      const page = await chromium.context.newPage();
      await page.goto(baseURL + elementPageUrl(server, { folder: 'hidden', 'attr-concurrency': '1' }));
      await page.evaluate(() => customElements.whenDefined('vod-uploader'));
      await recordRetryDelays(page);
      await chromium.hide(page);
      await page.locator('vod-uploader [part=input]').setInputFiles(file.path);
      await new Promise((resolve) => setTimeout(resolve, (GRACE_SECONDS + 2) * 1000));

      // The page really is throttled (else this test proves nothing).
      const chained = await chainedTimersMs(page);
      expect(chained, 'the hidden page’s timers are throttled').toBeGreaterThan(1500);

      const path = `/hidden/${file.path.split(/[\\/]/).pop()}`;
      const waitFor = async (what: string, condition: () => boolean): Promise<void> => {
        await expect.poll(condition, { intervals: [5, 20], message: what }).toBe(true).catch(async (error: unknown) => {
          // What the page saw, to tell a stalled retry from a stalled upload.
          const seen = await page.evaluate(() =>
            JSON.stringify(document.querySelector('vod-uploader')?.uploads.map((u) => ({ ...u, retryIn: u.retryAt && u.retryAt - Date.now() }))),
          );
          console.log(`stuck waiting for ${what}: ${seen}; last requests ${JSON.stringify(server.requests.slice(-3))}`);
          throw error;
        });
      };
      const late = await injectRetries(page, server, path, RETRIES, { delayMs }, waitFor);
      const measured = `retry lateness ms: ${late.join(', ')} (3 chained 10 ms timers: ${Math.round(chained)} ms)`;
      test.info().annotations.push({ type: 'measured', description: measured });
      console.log(measured);
      expect(await page.evaluate(() => document.visibilityState)).toBe('hidden');
      for (const ms of late) expect(ms, `retries fire within their backoff + ${TOLERANCE_MS} ms (all: ${late.join(', ')})`).toBeLessThan(TOLERANCE_MS);

      await chromium.show(page);
      await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
      expect(server.stats.paths[path]).toMatchObject({ sha: file.sha1, completed: 1 });
    } finally {
      await chromium.close();
    }
  });
});
