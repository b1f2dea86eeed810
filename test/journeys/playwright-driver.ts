// The journeys' driver over a Playwright page (Chromium, Firefox).
import type { Page } from '@playwright/test';
import type { Engine, UserDriver } from './driver.js';

export function playwrightDriver(page: Page, engine: Engine): UserDriver {
  return {
    engine,
    async goto(url) {
      await page.goto(url);
    },
    async reload() {
      await page.reload();
    },
    // The source and its JSON arguments as one expression: Playwright awaits a returned promise.
    run: (fn, ...args) => page.evaluate(`(${fn.toString()})(...${JSON.stringify(args)})`),
    chooseFiles: (paths) => page.locator('vod-uploader [part=input]').setInputFiles(paths),
    clickButton: (label) => page.locator('vod-uploader').getByRole('button', { name: label, exact: true }).click(),
    screenshot: () => page.screenshot(),
  };
}
