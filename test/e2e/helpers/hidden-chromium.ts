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
import type { Faults } from '../../../demo/server/protocol-server.js';
import type { FaultServer, UploadRequestRecord } from './fault-server.js';

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
    // Its own process group: Debian's /usr/bin/chromium is a shell script, so killing the child alone
    // would leave the browser running.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
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
  // Run by tsx (the bench), functions handed to page.evaluate carry esbuild's keepNames calls.
  await context.addInitScript('globalThis.__name ??= (fn) => fn;');
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
      // Disconnecting (browser.close() of a connectOverCDP browser) does not end the browser: ask it.
      await browserSession.send('Browser.close').catch(() => undefined);
      await browser.close().catch(() => undefined);
      const exited = new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL'); // whatever of the group is left
      } catch {
        /* the group is gone already */
      }
      // Chromium's helper processes may still be writing the profile for a moment: best effort (tmp).
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      } catch {
        /* left in the temp folder */
      }
    },
  };
}

/** Three chained 10 ms timers' total time in `page`: ~30 ms when visible, ~3 s when hidden (1 s wake-ups). */
export function chainedTimersMs(page: Page): Promise<number> {
  // Three, not five: from the fifth in a chain on, a throttled page waits for its once-a-minute wake-up.
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const t0 = performance.now();
        let n = 0;
        const step = (): unknown => (++n < 4 ? setTimeout(step, 10) : resolve(performance.now() - t0));
        step();
      }),
  );
}

/** Records every vod-upload-retry's delayMs in the page (read by injectRetries). */
export function recordRetryDelays(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { retryDelays: number[] };
    w.retryDelays = [];
    document.addEventListener('vod-upload-retry', (e) => w.retryDelays.push((e as CustomEvent<{ delayMs: number }>).detail.delayMs));
  });
}

/**
 * Fails `count` single slice requests of `path` (a 5xx from the real server) while the upload runs at
 * concurrency 1, and returns how late each retry reached the server: the server's time from the
 * failed answer to the next request, less the backoff the page's vod-upload-retry announced.
 * `waitFor` polls a condition (expect.poll in tests, a plain loop in the bench) and `faults` are the
 * server's faults to keep between failures.
 */
export async function injectRetries(
  page: Page,
  server: FaultServer,
  path: string,
  count: number,
  faults: Faults,
  waitFor: (what: string, condition: () => boolean) => Promise<void>,
): Promise<number[]> {
  const slices = (): UploadRequestRecord[] => server.requests.filter((r) => r.path === path);
  const failed = (r: UploadRequestRecord): boolean => (r.status ?? 0) >= 500;
  // An accepted slice resets the backoff; an accepted session request (after a 5xx the upload asks for
  // its session again: a form of ~650 bytes, no file data) does not, so it must not count as progress.
  const acceptedSlice = (r: UploadRequestRecord): boolean => r.status === 200 && r.bodyBytes >= 4 * 1024;
  for (let i = 0; i < count; i++) {
    // Fail the next request (rarely two: the retry may come before the fault is switched off),
    // then answer normally again until a slice is accepted, so the next backoff starts afresh.
    const before = slices().length;
    server.setFaults({ ...faults, errorRate: 1 });
    await waitFor(`a 5xx answered (failure ${i + 1})`, () => slices().slice(before).some(failed));
    server.setFaults(faults);
    await waitFor(`a slice accepted after failure ${i + 1}`, () => slices().slice(before).some((r, k, rest) => acceptedSlice(r) && rest.slice(0, k).some(failed)));
  }
  // Every failure was followed by one vod-upload-retry (concurrency 1) and one request: the retry.
  const delays = await page.evaluate(() => (window as unknown as { retryDelays: number[] }).retryDelays);
  const all = slices();
  const gaps = all.flatMap((r, j) => (failed(r) && all[j + 1] ? [all[j + 1]!.start - r.end!] : []));
  if (gaps.length !== delays.length) throw new Error(`${gaps.length} failures answered, ${delays.length} retries announced`);
  return gaps.map((gap, k) => gap - delays[k]!);
}
