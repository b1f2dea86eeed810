// Where each test engine's browser is on this machine. One answer for scripts/setup-browsers.ts
// (which installs what is missing), playwright.config.ts and scripts/run-webkit.ts.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, firefox } from 'playwright-core';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

export interface FoundEngine {
  name: EngineName;
  /** What runs: the browser's executable (WebKit: WebKitWebDriver). */
  executable: string;
  /** Firefox only: a stock Firefox goes through Playwright's `moz-firefox` BiDi channel; Playwright's own build does not. */
  stockFirefox?: boolean;
  /** WebKit only: xvfb-run, when there is no display of our own. */
  xvfbRun?: string;
}

export const MINIBROWSER = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const WEBKIT_WEBDRIVER = process.env.WEBKIT_WEBDRIVER_PATH ?? '/usr/bin/WebKitWebDriver';

/** Debian's package for each engine (apt-get install). */
export const DEBIAN_PACKAGES: Record<EngineName, string[]> = {
  chromium: ['chromium'],
  firefox: ['firefox-esr'],
  webkit: ['webkit2gtk-driver', 'xvfb'],
};

function playwrightOwn(browser: typeof chromium): string | undefined {
  try {
    const path = browser.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined; // this platform has no build of it
  }
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(`${dir}/${command}`)) return `${dir}/${command}`;
  }
  return undefined;
}

/** CHROMIUM_PATH, else Playwright's own Chromium, else Debian's. */
export function findChromium(): FoundEngine | undefined {
  const path = process.env.CHROMIUM_PATH ?? playwrightOwn(chromium) ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  return path && existsSync(path) ? { name: 'chromium', executable: path } : undefined;
}

/** FIREFOX_PATH or Debian's firefox-esr (stock, over BiDi), else Playwright's own Firefox build. */
export function findFirefox(): FoundEngine | undefined {
  const stock = process.env.FIREFOX_PATH ?? ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find((p) => existsSync(p));
  if (stock && existsSync(stock)) return { name: 'firefox', executable: stock, stockFirefox: true };
  const own = playwrightOwn(firefox);
  return own ? { name: 'firefox', executable: own, stockFirefox: false } : undefined;
}

/** WebKitGTK's WebDriver and MiniBrowser, and a display: our own, or xvfb-run. */
export function findWebKit(): FoundEngine | undefined {
  if (!existsSync(WEBKIT_WEBDRIVER) || !existsSync(MINIBROWSER)) return undefined;
  const xvfbRun = onPath('xvfb-run');
  if (!xvfbRun && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return undefined;
  return { name: 'webkit', executable: WEBKIT_WEBDRIVER, xvfbRun };
}

export function findEngine(name: EngineName): FoundEngine | undefined {
  return { chromium: findChromium, firefox: findFirefox, webkit: findWebKit }[name]();
}

/** What a WebKit that is not usable lacks, in words. */
export function webkitMissing(): string {
  const lacks = [WEBKIT_WEBDRIVER, MINIBROWSER].filter((p) => !existsSync(p));
  if (!onPath('xvfb-run') && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) lacks.push('xvfb-run (or a display)');
  return lacks.join(', ');
}

/** The engine's version as it reports it, for the log ("Chromium 156.0…"); '' when it cannot say. */
export function engineVersion(engine: FoundEngine): string {
  try {
    if (engine.name === 'webkit') {
      const v = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'libwebkit2gtk-4.1-0'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return `WebKitGTK ${v.trim()}`;
    }
    return execFileSync(engine.executable, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
  } catch {
    return '';
  }
}

/** Engines the run asks for: VOD_E2E_ENGINES=chromium,firefox,webkit (default all three). */
export function wantedEngines(): EngineName[] {
  const all: EngineName[] = ['chromium', 'firefox', 'webkit'];
  const asked = (process.env.VOD_E2E_ENGINES ?? all.join(',')).split(',').map((s) => s.trim());
  return all.filter((e) => asked.includes(e));
}
