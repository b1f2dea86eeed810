// The browser side of the bench: one Vite dev server over the repository, one headless Chromium
// (the flags of playwright.config.ts), and in-page probes for main-thread gaps and the JS heap.

import { existsSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { createServer, defaultClientConditions, type ViteDevServer } from 'vite';
import { chromiumArgs } from '../../playwright.config.js';
import { BENCH_DIR, REPO_ROOT } from './files.js';
import { SchedSampler, type GapSplit } from './sched-probe.js';

export interface BrowserHarness {
  browser: Browser;
  vite: ViteDevServer;
  /** http://127.0.0.1:port of the Vite dev server: cross-origin isolated (COOP + COEP). */
  origin: string;
  /**
   * The same dev server on a second port without the isolation headers. WebKitGTK 2.50 cannot start
   * the hash section's module workers on an isolated page ("baseline worker failed", measured
   * 2026-12-01); its hash runs here. Only the memory section needs isolation, and it runs in Chromium.
   */
  plainOrigin: string;
  /** A fresh context (empty IndexedDB) with one page at `path`, probes installed. */
  open(path: string): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/**
 * Pages come from a Vite dev server, not from dist/: the baselines import hash-wasm, crypto-js and
 * jsSHA by name and the hash section measures src/hashing directly. The hot paths (the WASM kernel,
 * Blob reads, fetch) are the same code in dev and in the bundle, and every module is loaded before a
 * measurement starts; what ships is measured separately in the bundle section.
 */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  process.env.VOD_MOUNT_SERVER = '0'; // never mount the demo server (the bench starts its own)
  let isolatedPort = -1;
  const vite = await createServer({
    root: REPO_ROOT,
    logLevel: 'warn',
    // Its own cache: e2e runs may be optimising deps in node_modules/.vite at the same moment.
    cacheDir: join(BENCH_DIR, 'out', '.vite'),
    // Cross-origin isolated pages (COOP + COEP): performance.measureUserAgentSpecificMemory() needs it.
    // The protocol server answers with CORS headers, which is all COEP asks of a cross-origin fetch.
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    // The isolation headers on the main port only (see plainOrigin).
    plugins: [{
      name: 'bench-isolation',
      configureServer(server) {
        server.middlewares.use((req, res, next) => {
          if (req.socket.localPort === isolatedPort) for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
          next();
        });
      },
    }],
    // Dependencies' production builds, as in what ships (a bundler resolves 'production' for a
    // release): a dev server resolves 'development', and lit's development build logs every render
    // for its dev tools and checks each binding (in the many-files profile: debugLogEvent alone
    // 132 ms of a 9 s run on 50 files). `development|production` would be read as development here.
    resolve: { conditions: defaultClientConditions.map((c) => (c === 'development|production' ? 'production' : c)) },
    // Pre-bundled up front so that no page triggers a dependency re-optimisation (and a reload) mid-run.
    optimizeDeps: {
      entries: ['bench/pages/*.html'],
      include: ['hash-wasm', 'crypto-js', 'jssha', 'jssha/sha1', 'lit', 'idb-keyval'].filter((name) =>
        existsSync(join(REPO_ROOT, 'node_modules', name.split('/')[0]!)),
      ),
    },
  });
  await vite.listen();
  const address = vite.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite dev server has no port');
  isolatedPort = address.port;
  const origin = `http://127.0.0.1:${address.port}`;
  const plain: Server = createHttpServer(vite.middlewares);
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const plainAddress = plain.address();
  if (!plainAddress || typeof plainAddress === 'string') throw new Error('the plain Vite listener has no port');
  const plainOrigin = `http://127.0.0.1:${plainAddress.port}`;
  // ForceEagerMeasureMemory: measureUserAgentSpecificMemory answers now instead of at the next GC (up to 20 s).
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...chromiumArgs, '--enable-blink-features=ForceEagerMeasureMemory'] });
  return {
    browser,
    vite,
    origin,
    plainOrigin,
    async open(path) {
      // The protocol server's HTTPS mode has a self-signed certificate made at its start.
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      await context.addInitScript(GAP_PROBE);
      const page = await context.newPage();
      page.on('pageerror', (error) => process.stderr.write(`[page error] ${error.message}\n`));
      await page.goto(origin + path);
      return { context, page };
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => plain.close(resolve));
      await vite.close();
    },
  };
}

/**
 * Main-thread gaps: a 10 ms interval and requestAnimationFrame each record the longest time between
 * two of their callbacks while recording. The Long Tasks observer is not used: it misses work that
 * page.evaluate runs and reports nothing under 50 ms.
 */
const GAP_PROBE = `(() => {
  const state = { recording: false, maxInterval: 0, maxFrame: 0, over50: 0, ticks: 0, long: [] };
  let lastTick = performance.now();
  setInterval(() => {
    const now = performance.now(); const gap = now - lastTick; lastTick = now;
    if (!state.recording) return;
    state.ticks++; if (gap > state.maxInterval) state.maxInterval = gap; if (gap > 50) state.over50++;
    if (gap >= 20 && state.long.length < 2000) state.long.push({ t: now, gap });
  }, 10);
  let lastFrame = performance.now();
  const frame = (now) => {
    const gap = now - lastFrame; lastFrame = now;
    if (state.recording && gap > state.maxFrame) state.maxFrame = gap;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  globalThis.__benchGaps = {
    start() { Object.assign(state, { recording: true, maxInterval: 0, maxFrame: 0, over50: 0, ticks: 0, long: [] });
      lastTick = performance.now(); lastFrame = performance.now(); },
    stop() { state.recording = false;
      return { maxGapMs: state.maxInterval, maxFrameGapMs: state.maxFrame, gapsOver50: state.over50, ticks: state.ticks,
        long: state.long }; },
  };
})();`;

export interface GapResult {
  /** Longest time between two 10 ms interval ticks. */
  maxGapMs: number;
  /** Longest time between two animation frames. */
  maxFrameGapMs: number;
  /** Interval gaps over 50 ms. */
  gapsOver50: number;
  ticks: number;
  /**
   * Interval gaps of 20 ms or more: when they ended (performance.now) and how long they were; in
   * Chromium on Linux, what the renderer's main thread did meanwhile (sched-probe.ts).
   */
  long?: Array<{ t: number; gap: number; split?: GapSplit }>;
  /** How far the split's windows may be off (half the best driver round trip), when split. */
  splitAlignMs?: number;
  /**
   * Page time + this = CLOCK_MONOTONIC ms, when split: the clock of a --profile's timestamps (µs) and
   * of Chrome traces, to match a gap to them.
   */
  splitOffsetMs?: number;
}

/** Gaps within a phase: the longest, how many over 50 ms, and the same less the time spent waiting for a core. */
export interface PhaseGaps {
  maxGapMs: number;
  gapsOver50: number;
  /** The longest gap's split, when the gaps were split. */
  longest?: GapSplit;
  /**
   * Each gap less the time the main thread was runnable but not running (waiting for a core), less
   * the sampler's uncertainty: the longest, and how many stay over 50 ms. What the page's own work
   * and the browser's work on its main thread made of the gap (a gap not split counts whole);
   * undefined when the run was not split.
   */
  maxBusyOrAsleepMs?: number;
  busyOrAsleepOver50?: number;
  /** The most time the main thread spent on a core within one gap: the page's and the browser's work on it. */
  maxOnCpuMs?: number;
}

/**
 * The longest interval gap within [from, to) (page time), or under 20 when none was long. A gap that
 * began before `from` counts from `from` on: the browser's own work on a pick of 10,000 files (2.9 s
 * on a bare page, before its change event) is not the product's.
 */
export function gapsBetween(result: GapResult, from: number, to: number): PhaseGaps {
  const inside = (result.long ?? []).filter((g) => g.t >= from && g.t < to).map((g) => {
    const gap = Math.min(g.gap, g.t - from);
    // Only waiting beyond the sampler's uncertainty (an interval at each end) is taken off (an unsplit gap keeps it all), and a
    // gap cut at `from` keeps the share of waiting of the whole gap.
    const waiting = g.split ? Math.max(0, g.split.waitingMs - 2 * g.split.edgeMs) : 0;
    return { gap, split: g.split, own: gap - (waiting * gap) / g.gap };
  });
  const longest = inside.reduce<(typeof inside)[number] | undefined>((max, g) => (!max || g.gap > max.gap ? g : max), undefined);
  const split = result.splitAlignMs !== undefined;
  return {
    maxGapMs: longest?.gap ?? 0,
    gapsOver50: inside.filter((g) => g.gap > 50).length,
    longest: longest?.split,
    maxBusyOrAsleepMs: split ? Math.max(0, ...inside.map((g) => g.own)) : undefined,
    busyOrAsleepOver50: split ? inside.filter((g) => g.own > 50).length : undefined,
    maxOnCpuMs: split ? Math.max(0, ...inside.map((g) => g.split?.onCpuMs ?? g.gap)) : undefined,
  };
}

/**
 * Several phases' gaps less the waiting for a core, together: the longest and how many stay over
 * 50 ms; undefined unless every phase was split (a run or phase not split cannot be judged so).
 */
export function lessWaitingOf(phases: ReadonlyArray<Pick<PhaseGaps, 'maxBusyOrAsleepMs' | 'busyOrAsleepOver50'>>): { maxMs: number; over50: number } | undefined {
  if (phases.length === 0 || phases.some((p) => p.maxBusyOrAsleepMs === undefined)) return undefined;
  return { maxMs: Math.max(...phases.map((p) => p.maxBusyOrAsleepMs!)), over50: phases.reduce((sum, p) => sum + p.busyOrAsleepOver50!, 0) };
}

const schedSamplers = new WeakMap<Page, SchedSampler>();

export async function startGaps(page: Page): Promise<void> {
  const sampler = await SchedSampler.start(page);
  if (sampler) schedSamplers.set(page, sampler);
  await page.evaluate('globalThis.__benchGaps.start()');
}
export async function stopGaps(page: Page): Promise<GapResult> {
  const result = (await page.evaluate('globalThis.__benchGaps.stop()')) as GapResult;
  const sampler = schedSamplers.get(page);
  schedSamplers.delete(page);
  const split = await sampler?.stop(result.long ?? []);
  if (split) {
    result.long = result.long?.map((g, i) => ({ ...g, split: split.splits[i] }));
    result.splitAlignMs = split.alignMs;
    result.splitOffsetMs = split.offsetMs;
  }
  return result;
}

export interface HeapResult {
  /** JSHeapUsedSize after a forced GC, before the work. */
  before: number;
  /** Highest sample during the work (~every 100 ms). */
  peak: number;
  /** After the work and a forced GC. */
  after: number;
  samples: number;
  /** Peak of the workers' heaps (Runtime.getHeapUsage through CDP), when reachable. */
  workerPeak?: number;
}

/** Samples the page's JS heap (CDP Performance.getMetrics) and its workers' heaps every ~100 ms. */
export class HeapSampler {
  #timer: ReturnType<typeof setInterval> | undefined;
  #peak = 0;
  #workerPeak: number | undefined;
  #samples = 0;
  #before = 0;
  #busy = false;
  readonly #workers = new Map<string, CDPSessionLike>();

  private constructor(private readonly cdp: CDPSession) {}

  static async attach(page: Page): Promise<HeapSampler> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const sampler = new HeapSampler(cdp);
    await sampler.#watchWorkers();
    return sampler;
  }

  async #heapUsed(): Promise<number> {
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  }

  async collectGarbage(): Promise<void> {
    await this.cdp.send('HeapProfiler.collectGarbage');
  }

  async start(): Promise<void> {
    await this.collectGarbage();
    this.#before = await this.#heapUsed();
    this.#peak = this.#before;
    this.#samples = 0;
    this.#timer = setInterval(() => void this.#sample(), 100);
  }

  async #sample(): Promise<void> {
    if (this.#busy) return; // a slow answer must not pile up requests
    this.#busy = true;
    try {
      this.#peak = Math.max(this.#peak, await this.#heapUsed());
      this.#samples++;
      for (const worker of this.#workers.values()) {
        const used = await worker.heapUsed().catch(() => undefined);
        if (used !== undefined) this.#workerPeak = Math.max(this.#workerPeak ?? 0, used);
      }
    } catch {
      /* the page navigated or closed: keep what we have */
    } finally {
      this.#busy = false;
    }
  }

  async stop(): Promise<HeapResult> {
    clearInterval(this.#timer);
    await this.#sample();
    await this.collectGarbage();
    const after = await this.#heapUsed();
    return { before: this.#before, peak: this.#peak, after, samples: this.#samples, workerPeak: this.#workerPeak };
  }

  async detach(): Promise<void> {
    clearInterval(this.#timer);
    await this.cdp.detach().catch(() => undefined);
  }

  /**
   * Dedicated workers are not pages: Playwright gives no CDP session for them. The page session
   * auto-attaches to them in non-flat mode and talks to each through Target.sendMessageToTarget.
   */
  async #watchWorkers(): Promise<void> {
    let nextId = 1;
    const pending = new Map<number, (value: unknown) => void>();
    this.cdp.on('Target.receivedMessageFromTarget', (event) => {
      const message = JSON.parse(event.message) as { id?: number; result?: unknown };
      if (message.id !== undefined) pending.get(message.id)?.(message.result);
      pending.delete(message.id ?? -1);
    });
    this.cdp.on('Target.attachedToTarget', (event) => {
      if (event.targetInfo.type !== 'worker') return;
      const sessionId = event.sessionId;
      const call = (method: string): Promise<unknown> =>
        new Promise((resolve, reject) => {
          const id = nextId++;
          pending.set(id, resolve);
          this.cdp
            .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) })
            .catch(reject);
          setTimeout(() => reject(new Error('timeout')), 2000);
        });
      this.#workers.set(sessionId, {
        heapUsed: async () => ((await call('Runtime.getHeapUsage')) as { usedSize: number }).usedSize,
      });
    });
    this.cdp.on('Target.detachedFromTarget', (event) => {
      if (event.sessionId) this.#workers.delete(event.sessionId);
    });
    await this.cdp
      .send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false })
      .catch(() => undefined);
  }

  get workerCount(): number {
    return this.#workers.size;
  }
}

interface CDPSessionLike {
  heapUsed(): Promise<number>;
}
