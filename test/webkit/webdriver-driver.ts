// The journeys' driver over classic WebDriver (selenium-webdriver), for WebKitGTK's MiniBrowser driven
// by WebKitWebDriver: Playwright cannot drive a stock WebKit, and this build speaks no BiDi.
import { spawn, type ChildProcess } from 'node:child_process';
import { Builder, By, type WebDriver } from 'selenium-webdriver';
import { MINIBROWSER, WEBKIT_WEBDRIVER } from '../../scripts/browsers.js';
import { freePort } from '../../scripts/free-port.js';
import { waitFor, type UserDriver } from '../journeys/driver.js';

/** One WebKitWebDriver process for the run; a new browser session per journey. */
export class WebKitDriverService {
  private constructor(
    private readonly process: ChildProcess,
    readonly url: string,
  ) {}

  static async start(): Promise<WebKitDriverService> {
    const port = await freePort();
    const child = spawn(WEBKIT_WEBDRIVER, [`--port=${port}`, '--host=127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Each web process warns that it has no session D-Bus (none under xvfb-run); anything else is shown.
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      const lines = text.split('\n').filter((l) => l.trim() && !/dbus-launch|D-Bus address/.test(l));
      if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor('WebKitWebDriver to listen', () => fetch(`${url}/status`).then((r) => r.ok, () => false), (ok) => ok, 10_000);
    return new WebKitDriverService(child, url);
  }

  /** A new MiniBrowser session: a fresh, ephemeral profile (no storage left by an earlier journey). */
  async session(): Promise<WebDriver> {
    return new Builder()
      .usingServer(this.url)
      .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } })
      .build();
  }

  stop(): void {
    this.process.kill();
  }
}

export function webdriverDriver(driver: WebDriver, baseUrl: string): UserDriver {
  const host = () => driver.findElement(By.css('vod-uploader')).getShadowRoot();
  return {
    engine: 'webkit',
    async goto(url) {
      await driver.get(new URL(url, baseUrl).href);
    },
    async reload() {
      await driver.navigate().refresh();
    },
    // WebDriver awaits a returned promise. tsx (esbuild, keepNames) may wrap inner functions in
    // __name(): the page gets a no-op one.
    run: (fn, ...args) => driver.executeScript(`var __name = (f) => f; return (${fn.toString()})(...arguments);`, ...args),
    async chooseFiles(paths) {
      // Classic WebDriver sets files on an <input type=file> by "typing" their paths, one a line.
      await (await (await host()).findElement(By.css('[part=input]'))).sendKeys(paths.join('\n'));
    },
    async clickButton(label) {
      await (await (await host()).findElement(By.css(`button[aria-label=${JSON.stringify(label)}]`))).click();
    },
    async screenshot() {
      return Buffer.from(await driver.takeScreenshot(), 'base64');
    },
  };
}
