// The example apps (examples/*) end to end: Chromium only, one spec per app. Each spec starts its
// app's own dev server (test/examples/helpers/example-app.ts) in front of a real protocol server
// (test/e2e/helpers/server.ts); `npm run test:examples` installs the apps and builds dist/ first
// (scripts/setup-examples.ts).
import { defineConfig } from '@playwright/test';
import { findChromium } from './scripts/browsers.js';
import { chromiumArgs } from './playwright.config.js';

export default defineConfig({
  testDir: 'test/examples',
  // A dev server's first compile (Next.js above all) takes a while on a loaded 2-core machine.
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  // One app at a time: each brings a dev server of its own.
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: { trace: 'off' },
  projects: [
    {
      name: 'chromium',
      use: { browserName: 'chromium', launchOptions: { executablePath: findChromium()?.executable, args: chromiumArgs } },
    },
  ],
});
