// The three engines the bench measures, behind one small page interface: Chromium (the harness's
// Playwright browser), Firefox ESR (Playwright's moz-firefox mode, over WebDriver BiDi) and WebKitGTK's
// MiniBrowser (selenium-webdriver over classic WebDriver, under xvfb-run). A section that only calls
// page functions and chooses a file runs the same in all three.

import { spawn, type ChildProcess } from 'node:child_process';
import { firefox, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { Builder, By, type WebDriver } from 'selenium-webdriver';
import { freePort } from '../../scripts/free-port.js';
import type { BrowserHarness } from './browser.js';

export const ENGINES = ['chromium', 'firefox', 'webkit'] as const;
export type EngineName = (typeof ENGINES)[number];

export interface EnginePage {
  /** Runs `globalThis[object][method](...args)` in the page and answers its awaited, JSON-like result. */
  call<T>(object: string, method: string, ...args: unknown[]): Promise<T>;
  /** Waits until `expression` is truthy in the page. */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
  /** Chooses the file at `path` (a real disk-backed file) in the page's `<input type=file>` `selector`. */
  setFile(selector: string, path: string): Promise<void>;
  close(): Promise<void>;
}

export interface Engine {
  name: EngineName;
  /** Browser name and version as the engine reports them. */
  version: string;
  /** A fresh context (empty storage) with one page at the harness origin + `path`. */
  open(path: string): Promise<EnginePage>;
  close(): Promise<void>;
}

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
/** A hash of a 4 GiB file in the slowest engine takes well under this. */
const SCRIPT_TIMEOUT_MS = 15 * 60_000;

export async function launchEngine(name: EngineName, harness: BrowserHarness): Promise<Engine> {
  switch (name) {
    case 'chromium':
      return {
        name,
        version: `Chromium ${harness.browser.version()}`,
        async open(path) {
          const { context, page } = await harness.open(path);
          return playwrightPage(context, page);
        },
        close: async () => undefined, // the harness owns this browser
      };
    case 'firefox':
      return launchFirefox(harness.origin);
    case 'webkit':
      return launchWebKit(harness.plainOrigin); // not isolated: see BrowserHarness.plainOrigin
  }
}

function playwrightPage(context: BrowserContext, page: Page): EnginePage {
  return {
    call: <T>(object: string, method: string, ...args: unknown[]) =>
      page.evaluate(
        ([o, m, a]) => (globalThis as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>)[o]![m]!(...a),
        [object, method, args] as [string, string, unknown[]],
      ) as Promise<T>,
    waitFor: async (expression, timeoutMs = 30_000) => {
      await page.waitForFunction(expression, undefined, { timeout: timeoutMs });
    },
    setFile: (selector, path) => page.locator(selector).setInputFiles(path),
    close: () => context.close(),
  };
}

async function launchFirefox(origin: string): Promise<Engine> {
  const browser: Browser = await firefox.launch({
    channel: 'moz-firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    // storage.persist() settles without a prompt (the product asks for it).
    firefoxUserPrefs: { 'dom.storageManager.prompt.testing': true, 'dom.storageManager.prompt.testing.allow': true },
  });
  return {
    name: 'firefox',
    version: `Firefox ${browser.version()}`,
    async open(path) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (error) => process.stderr.write(`[firefox page error] ${error.message}\n`));
      await page.goto(origin + path);
      return playwrightPage(context, page);
    },
    close: () => browser.close(),
  };
}

async function waitForDriver(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/status`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('WebKitWebDriver did not answer within 20 s');
}

/** WebKitGTK has no headless mode: the driver (and the MiniBrowser it starts) run on a virtual X display. */
async function launchWebKit(origin: string): Promise<Engine> {
  const port = await freePort();
  // Its own process group, so that closing ends xvfb-run, Xvfb, the driver and the browser together.
  const child = spawn('xvfb-run', ['-a', WEBKIT_DRIVER_PATH, `--port=${port}`], { detached: true, stdio: 'ignore' });
  const stop = (): void => {
    process.off('exit', stop);
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  // A bench that dies on an error must not leave a browser and an X server behind.
  process.on('exit', stop);
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForDriver(url, child);
    const session = async (): Promise<WebDriver> => {
      const driver = await new Builder()
        .usingServer(url)
        .withCapabilities({
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
        })
        .build();
      await driver.manage().setTimeouts({ script: SCRIPT_TIMEOUT_MS, pageLoad: 60_000 });
      return driver;
    };
    // One session just to read the version; every page gets a session of its own (a fresh profile).
    const probe = await session();
    // The user agent's AppleWebKit/605.1.15 is frozen; the session says which WebKitGTK this is.
    const version = `WebKitGTK ${String((await probe.getCapabilities()).get('browserVersion') ?? '?')}`;
    await probe.quit();
    return {
      name: 'webkit',
      version,
      async open(path) {
        const driver = await session();
        await driver.get(origin + path);
        return seleniumPage(driver);
      },
      async close() {
        stop();
      },
    };
  } catch (error) {
    stop();
    throw error;
  }
}

function seleniumPage(driver: WebDriver): EnginePage {
  return {
    // Classic WebDriver awaits a promise that the script returns.
    call: <T>(object: string, method: string, ...args: unknown[]) =>
      driver.executeScript<T>('return globalThis[arguments[0]][arguments[1]](...arguments[2])', object, method, args),
    async waitFor(expression, timeoutMs = 30_000) {
      await driver.wait(async () => Boolean(await driver.executeScript(`return Boolean(${expression})`)), timeoutMs);
    },
    async setFile(selector, path) {
      await driver.findElement(By.css(selector)).sendKeys(path);
    },
    close: () => driver.quit(),
  };
}
