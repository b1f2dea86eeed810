// A Chromium whose hidden pages are throttled as a user's background tab is, for the hidden-tab test
// and bench section. Three things stand between Playwright and a throttled hidden page, found by
// measuring a chained setTimeout's period in the page:
// - Playwright launches Chromium with --disable-background-timer-throttling (and the renderer and
//   occluded-window backgrounding switches off): so Chromium is started here, by hand, without them;
// - Playwright turns on focus emulation for every page it drives (Emulation.setFocusEmulationEnabled),
//   which keeps the page "visible" whatever happens; connectOverCDP with `noDefaults` leaves the
//   default context's pages alone;
// - a headless page is the only tab of its own window, and page.bringToFront() of another page does
//   not hide it: opening a new tab in the same window (Target.createTarget, newWindow false) does.
// Then document.visibilityState is 'hidden', page timers are aligned to 1 s, and after the grace period
// (IntensiveWakeUpThrottling:grace_period_seconds, 5 min by default) chained ones wake once a minute.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { chromiumArgs } from '../../../playwright.config.js';
import { findChromium } from '../../../scripts/browsers.js';

export interface ThrottlingChromium {
  browser: Browser;
  /** The default context: its pages have no focus emulation, so they can be hidden. */
  context: BrowserContext;
  /** Hides `page` behind a new blank tab of its window (document.visibilityState 'hidden'). */
  hide(page: Page): Promise<void>;
  /** Brings `page` to the front again. */
  show(page: Page): Promise<void>;
  close(): Promise<void>;
}

/** Chromium with intensive wake-up throttling after `graceSeconds` hidden (Chromium's default is 300). */
export async function launchThrottlingChromium(graceSeconds = 10): Promise<ThrottlingChromium> {
  const executable = findChromium()?.executable ?? '/usr/bin/chromium';
  const profile = mkdtempSync(join(tmpdir(), 'vod-hidden-'));
  const child: ChildProcess = spawn(
    executable,
    [
      ...chromiumArgs,
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      `--enable-features=IntensiveWakeUpThrottling:grace_period_seconds/${graceSeconds}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not open DevTools in 30 s: ${text.slice(-500)}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const found = /ws:\/\/\S+/.exec(text);
      if (found) {
        clearTimeout(timer);
        resolve(found[0]);
      }
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited (${code}): ${text.slice(-500)}`)));
  });
  child.stderr?.resume();
  const browser = await chromium.connectOverCDP(endpoint, { noDefaults: true, isLocal: true });
  const context = browser.contexts()[0]!;
  const browserSession = await browser.newBrowserCDPSession();
  const covers = new Map<Page, string>();
  const targetOf = async (page: Page): Promise<string> => {
    const session: CDPSession = await context.newCDPSession(page);
    const { targetInfo } = await session.send('Target.getTargetInfo');
    await session.detach();
    return targetInfo.targetId;
  };
  return {
    browser,
    context,
    async hide(page) {
      const { targetId } = await browserSession.send('Target.createTarget', { url: 'about:blank', newWindow: false, background: false });
      covers.set(page, targetId);
      await page.waitForFunction(() => document.visibilityState === 'hidden');
    },
    async show(page) {
      const cover = covers.get(page);
      covers.delete(page);
      if (cover) await browserSession.send('Target.closeTarget', { targetId: cover }).catch(() => undefined);
      await browserSession.send('Target.activateTarget', { targetId: await targetOf(page) });
      await page.waitForFunction(() => document.visibilityState === 'visible');
    },
    async close() {
      await browser.close().catch(() => undefined);
      child.kill();
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
      // Chromium's helper processes may still be writing the profile for a moment.
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
