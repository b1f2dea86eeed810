// End-to-end tests: real Chromium and Firefox (one project each), pages served by Vite, a real
// protocol server per test file. WebKit runs the user journeys over WebDriver (test/webkit).
import { defineConfig, type Project } from '@playwright/test';
import { findChromium, findFirefox, wantedEngines } from './scripts/browsers.js';

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

const ci = process.env.CI === 'true' || process.env.CI === '1';

/**
 * One project per engine asked for (VOD_E2E_ENGINES) and found (scripts/browsers.ts). A missing one is
 * left out with a line, except under CI, where it stays and fails (scripts/setup-browsers.ts installs them).
 */
function projects(): Project[] {
  const out: Project[] = [];
  for (const name of wantedEngines().filter((e) => e !== 'webkit')) {
    const found = name === 'chromium' ? findChromium() : findFirefox();
    if (!found && !ci) {
      if (!process.env.TEST_WORKER_INDEX) console.log(`playwright: MISSING ${name}: its tests are skipped (npm test installs it where it can)`);
      continue;
    }
    if (name === 'chromium') {
      out.push({ name, use: { browserName: 'chromium', launchOptions: { executablePath: found?.executable, args: chromiumArgs } } });
    } else {
      out.push({
        name,
        use: {
          browserName: 'firefox',
          // A stock Firefox is driven over WebDriver BiDi ('moz-firefox'); Playwright's own build over its own protocol.
          channel: found?.stockFirefox === false ? undefined : 'moz-firefox',
          launchOptions: {
            executablePath: found?.executable,
            // storage.persist() would otherwise wait for a permission prompt nobody answers.
            firefoxUserPrefs: { 'dom.storageManager.prompt.testing': true, 'dom.storageManager.prompt.testing.allow': true },
          },
        },
      });
    }
  }
  return out;
}

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
  projects: projects(),
  webServer: {
    command: `npx vite --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { VOD_MOUNT_SERVER: '0', VOD_E2E_PORT: String(port) },
  },
});
