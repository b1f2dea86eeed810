// The few things a user-level test does to a browser. The journeys (journeys.ts) are written once
// against this interface; Playwright implements it for Chromium and Firefox (playwright-driver.ts)
// and classic WebDriver for WebKitGTK (test/webkit/webdriver-driver.ts).

export type Engine = 'chromium' | 'firefox' | 'webkit';

export interface UserDriver {
  readonly engine: Engine;
  /** Loads `url` (absolute, or a path on the Vite test server) and waits for its load event. */
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /**
   * Runs `fn` in the page with JSON arguments; returns its result, awaited. `fn` is sent as source
   * text: it may use nothing from the test's scope.
   */
  run<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<Awaited<R>>;
  /** Gives files on this machine to the <vod-uploader>'s file input, as the file chooser does. */
  chooseFiles(paths: string[]): Promise<void>;
  /** Clicks the button of the element's shadow root whose accessible name (aria-label) is `label`. */
  clickButton(label: string): Promise<void>;
  /** The viewport as PNG (WebKitGTK paints element screenshots black). */
  screenshot(): Promise<Buffer>;
}

/** Polls `probe` every 100 ms until `ok` holds; on timeout, fails with `what` and the last value seen. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
