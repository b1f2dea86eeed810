// Opening a test page of test/e2e/pages under the Vite dev server without Vite getting in the way.
import { expect, type Page } from '@playwright/test';

/**
 * Vite's HMR client reloads the page whenever another engineer saves a file this page imports (or
 * the dependency optimizer re-runs): a long test would die mid-way. The pages get a client that
 * does nothing.
 */
const QUIET_VITE_CLIENT = `const hot = { accept() {}, dispose() {}, prune() {}, on() {}, off() {}, send() {}, invalidate() {}, data: {} };
export const createHotContext = () => hot;
export const updateStyle = () => {};
export const removeStyle = () => {};
export const injectQuery = (url) => url;
export class ErrorOverlay extends HTMLElement {}`;

export async function quietVite(page: Page): Promise<void> {
  await page.route(/\/@vite\/client$/, (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: QUIET_VITE_CLIENT }),
  );
}

/**
 * Opens `url` with the quiet Vite client, waits for `body[data-ready=true]`, then runs `warmUp` (a
 * first call that loads the page's lazy modules). Vite's dependency optimizer may reload a page once
 * when it first meets a dependency; such a reload is retried (3 attempts) rather than failing the test.
 */
export async function openTestPage(page: Page, url: string, warmUp: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await quietVite(page);
      await page.goto(url);
      await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
      await warmUp();
      return;
    } catch (error) {
      if (attempt >= 3 || !/context was destroyed|navigat/i.test(String(error))) throw error;
    }
  }
}
