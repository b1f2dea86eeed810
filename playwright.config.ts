// End-to-end tests: real Chromium and Firefox (one project each), pages served by Vite, a real
// protocol server per test file. WebKit runs the user-level suite over WebDriver (test/webkit).
import { existsSync } from 'node:fs';
import { chromium, defineConfig, type Project } from '@playwright/test';

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

/** FIREFOX_PATH, else Debian's firefox-esr: Playwright drives a stock Firefox over WebDriver BiDi. */
export function firefoxExecutable(): string {
  return process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
}

/** VOD_E2E_ENGINES=chromium,firefox (set by scripts/setup-browsers.mjs): the engines to run; default both. */
const engines = (process.env.VOD_E2E_ENGINES ?? 'chromium,firefox').split(',').filter(Boolean);

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

const allProjects: Project[] = [
  {
    name: 'chromium',
    use: { browserName: 'chromium', launchOptions: { executablePath: chromiumExecutable(), args: chromiumArgs } },
  },
  {
    name: 'firefox',
    use: {
      browserName: 'firefox',
      // 'moz-firefox' is Playwright's BiDi mode for a stock Firefox (its own patched build is not used).
      channel: 'moz-firefox',
      launchOptions: {
        executablePath: firefoxExecutable(),
        // storage.persist() would otherwise wait for a permission prompt nobody answers.
        firefoxUserPrefs: { 'dom.storageManager.prompt.testing': true, 'dom.storageManager.prompt.testing.allow': true },
      },
    },
  },
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
    trace: 'off',
  },
  projects: allProjects.filter((p) => engines.includes(p.name!)),
  webServer: {
    command: `npx vite --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { VOD_MOUNT_SERVER: '0', VOD_E2E_PORT: String(port) },
  },
});
