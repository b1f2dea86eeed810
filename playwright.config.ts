// End-to-end tests: real Chromium, pages served by Vite, a real protocol server per test file.
import { existsSync } from 'node:fs';
import { chromium, defineConfig } from '@playwright/test';

/** CHROMIUM_PATH, else Playwright's own browser where it was installed, else Debian's chromium. */
function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return undefined; // Playwright finds its own browser by itself
  } catch {
    /* not installed */
  }
  return '/usr/bin/chromium';
}

// The config is loaded by the runner and again by each worker; workers inherit the runner's env,
// so the port chosen here is the same everywhere and parallel runs on one machine do not collide.
process.env.VOD_E2E_PORT ??= String(20000 + Math.floor(Math.random() * 20000));
const port = Number(process.env.VOD_E2E_PORT);

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  // In CI one retry, so a test that fails only under load is reported as "flaky" (listed in the
  // output) instead of failing the run; a real failure fails twice and still fails the run.
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: { executablePath: chromiumExecutable(), args: chromiumArgs },
    trace: 'off',
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: `npx vite --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { VOD_MOUNT_SERVER: '0', VOD_E2E_PORT: String(port) },
  },
});
