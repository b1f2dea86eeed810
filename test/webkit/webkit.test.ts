// The user journeys (test/journeys/journeys.ts) in WebKitGTK's MiniBrowser over WebDriver, under
// node:test, started by `npm run test:webkit` (scripts/run-webkit.ts: finds WebKit, adds xvfb-run).
// Pages come from a Vite server started here, as Playwright's webServer does for the other engines.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { createServer, type ViteDevServer } from 'vite';
import { journeys, runJourney, type Journey } from '../journeys/journeys.js';
import type { WebDriver } from 'selenium-webdriver';
import { withTimeout } from '../../src/engine/abort-race.js';
import { WebKitDriverService, webdriverDriver } from './webdriver-driver.js';

const root = resolve(import.meta.dirname, '../..');

let vite: ViteDevServer | undefined;
let service: WebKitDriverService | undefined;
let baseUrl = '';

before(async () => {
  // As playwright.config.ts: VOD_E2E_PORT turns Vite's live reload off and gives the run its own cache.
  const port = 20000 + Math.floor(Math.random() * 20000);
  process.env.VOD_E2E_PORT = String(port);
  process.env.VOD_MOUNT_SERVER = '0';
  vite = await createServer({ root, configFile: join(root, 'vite.config.ts'), server: { port, strictPort: true }, logLevel: 'warn' });
  await vite.listen();
  baseUrl = `http://127.0.0.1:${port}`;
  service = await WebKitDriverService.start();
});

after(async () => {
  service?.stop();
  await vite?.close();
});

// As playwright.config.ts: one retry in CI, so a journey that fails only under load is reported (a
// "flaky" diagnostic) instead of failing the run; a real failure fails twice.
const attempts = process.env.CI ? 2 : 1;

for (const journey of journeys) {
  test(`[webkit] ${journey.name}`, { skip: journey.skip?.webkit, timeout: attempts * (journey.timeoutMs + 30_000) }, async (t) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await attemptJourney(journey);
        return;
      } catch (error) {
        if (attempt >= attempts) throw error;
        t.diagnostic(`flaky: attempt ${attempt} failed: ${String(error).split('\n')[0]}`);
      }
    }
  });
}

/**
 * A new MiniBrowser session, or an error within SESSION_START_MS. Now and then MiniBrowser cannot open
 * the X display ("cannot open display") and WebKitWebDriver then waits for it for ever: without this
 * bound the hang used up the journey's whole time, retry included. The driver is started afresh.
 */
const SESSION_START_MS = 30_000;
async function newSession(): Promise<WebDriver> {
  try {
    return await withTimeout(service!.session(), SESSION_START_MS, () => new Error(`MiniBrowser did not start within ${SESSION_START_MS / 1000} s`));
  } catch (error) {
    service?.stop();
    service = await WebKitDriverService.start();
    throw error;
  }
}

async function attemptJourney(journey: Journey): Promise<void> {
  const session = await newSession();
  const driver = webdriverDriver(session, baseUrl);
  try {
    await runJourney(journey, driver);
  } catch (error) {
    // The viewport, not an element: WebKitGTK paints element screenshots black.
    const dir = join(root, 'test-results/webkit');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${journey.name.replace(/\W+/g, '-').slice(0, 80)}.png`), await driver.screenshot().catch(() => Buffer.alloc(0)));
    throw error;
  } finally {
    await session.quit();
  }
}
