// Shared pieces of the fault-injection suite (test/e2e/faults-*.spec.ts): a real protocol server
// (demo/server) that a test can stop and start again on the same port and data folder, with a log
// of every upload request as the server saw it (when it came, when it ended, how many of the same
// file were open at once), and page probes (hash jobs sent to the worker, statuses, IndexedDB).
// The suite asserts on these server-side observations, never on the product's own claims.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { makeTestFile, type TestFile } from './files.js';
import {
  createProtocolHandler,
  type Faults,
  type PathStats,
  type ProtocolHandler,
  type ProtocolServerOptions,
  type ServerStats,
} from '../../../demo/server/protocol-server.js';

/**
 * Playwright's test, with pages cut off from Vite's HMR socket: a reload in the middle would end the
 * very upload under test. vite.config.ts turns live reload off under test since 1541d1b; this keeps
 * the suite safe if that changes (a routed WebSocket that never reaches the server).
 */
export const test = base.extend<{ noDevServerReloads: void }>({
  noDevServerReloads: [
    async ({ context }, use) => {
      await context.routeWebSocket(/.*/, () => undefined);
      await use();
    },
    { auto: true },
  ],
});
export { expect };

export const KiB = 1024;
export const MiB = 1024 * KiB;

/** One POST to /files/v1/..., as the server saw it. */
export interface UploadRequestRecord {
  /** `/{dir}/{name}`, decoded (the server's resource_path). */
  path: string;
  /** Content-Length of the multipart body: a slice's is its size plus a few hundred bytes. */
  bodyBytes: number;
  start: number;
  end?: number;
  /** HTTP status answered; undefined when the connection closed first (client abort, drop). */
  status?: number;
  /** Requests of the same path open when this one arrived, this one included. */
  openAtStart: number;
}

export type FaultServerOptions = Omit<ProtocolServerOptions, 'dataDir'> & { sliceSize: number };

const COUNTERS = ['requests', 'createRequests', 'sliceRequests', 'bytesReceived', 'bytesDuplicate', 'completed'] as const;

/**
 * The demo protocol server on its own port, restartable like a real process: `restart()` closes it
 * (connections cut) and starts a new handler on the same port and data folder, so only what the
 * server wrote to disk survives. Counters of earlier instances are kept and summed by `pathTotals`.
 */
export class FaultServer {
  readonly requests: UploadRequestRecord[] = [];
  /** Stats of the instances stopped by restart(), oldest first. */
  readonly previousStats: ServerStats[] = [];
  handler!: ProtocolHandler;
  port = 0;
  private server?: Server;
  private readonly open = new Map<string, number>();

  private constructor(
    readonly dataDir: string,
    private readonly options: FaultServerOptions,
  ) {}

  static async start(options: FaultServerOptions): Promise<FaultServer> {
    const s = new FaultServer(mkdtempSync(join(tmpdir(), 'vod-faults-')), options);
    await s.listen(0);
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get endpoint(): string {
    return `${this.url}/files/v1`;
  }
  get signatureUrl(): string {
    return `${this.url}/api/signature`;
  }
  get appid(): string {
    return this.handler.config.appid;
  }
  get bucket(): string {
    return this.handler.config.bucket;
  }
  get sliceSize(): number {
    return this.handler.config.sliceSize;
  }
  /** The running instance's counters. */
  get stats(): ServerStats {
    return this.handler.stats;
  }

  setFaults(faults: Faults): void {
    this.handler.setFaults(faults);
  }

  forgetSessions(): Promise<void> {
    return this.handler.forgetSessions();
  }

  /** A path's counters summed over every instance since start (restarts included). */
  pathTotals(path: string): PathStats {
    const sum: PathStats = { requests: 0, createRequests: 0, sliceRequests: 0, bytesReceived: 0, bytesDuplicate: 0, completed: 0 };
    for (const stats of this.allStats()) {
      const p = stats.paths[path];
      if (!p) continue;
      for (const c of COUNTERS) sum[c] += p[c];
      if (p.sha) sum.sha = p.sha;
    }
    return sum;
  }

  /** Each instance's counters once (a stopped instance is both the last previous and the current). */
  private allStats(): ServerStats[] {
    return [...new Set([...this.previousStats, this.stats])];
  }

  /** The most requests of `path` that were open at once, among requests that arrived in [from, to). */
  maxOpen(path: string, from = 0, to = Number.POSITIVE_INFINITY, minBodyBytes = 0): number {
    return this.requests
      .filter((r) => r.path === path && r.start >= from && r.start < to && r.bodyBytes >= minBodyBytes)
      .reduce((m, r) => Math.max(m, r.openAtStart), 0);
  }

  /** Stops like a killed process: open connections are cut. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.handler.close();
    this.previousStats.push(this.handler.stats);
  }

  /** A new server process on the same port and data folder (faults as in the options). */
  async startAgain(): Promise<void> {
    await this.listen(this.port);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async listen(port: number): Promise<void> {
    this.handler = createProtocolHandler({ ...this.options, dataDir: this.dataDir });
    const handler = this.handler;
    const server = createServer((req, res) => {
      const m = /^\/files\/v1\/[^/]+\/[^/]+(\/[^?]*)/.exec(req.url ?? '');
      if (req.method === 'POST' && m) {
        let path = m[1]!;
        try {
          path = decodeURIComponent(path);
        } catch {
          /* an invalid path: keep it raw, the server refuses it */
        }
        const open = (this.open.get(path) ?? 0) + 1;
        this.open.set(path, open);
        const record: UploadRequestRecord = {
          path,
          bodyBytes: Number(req.headers['content-length'] ?? 0),
          start: Date.now(),
          openAtStart: open,
        };
        this.requests.push(record);
        res.on('close', () => {
          record.end = Date.now();
          if (res.writableFinished) record.status = res.statusCode;
          this.open.set(path, (this.open.get(path) ?? 1) - 1);
        });
      }
      handler.handle(req, res);
    });
    // As startProtocolServer: slow slices must not be cut by Node's own request timeout.
    server.requestTimeout = 0;
    server.keepAliveTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }
}

/**
 * Counts the whole-file hash jobs the page sends to its hashing worker (window.faultProbe.hashJobs):
 * lets a test see that an upload did not hash its file again. Install before the page loads.
 */
export async function probeHashJobs(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const probe = { hashJobs: 0 };
    (window as unknown as { faultProbe: typeof probe }).faultProbe = probe;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
      if ((message as { type?: string } | null)?.type === 'sha1') probe.hashJobs++;
      return (post as (...a: unknown[]) => void).call(this, message, ...rest);
    } as typeof Worker.prototype.postMessage;
  });
}

export function hashJobs(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { faultProbe: { hashJobs: number } }).faultProbe.hashJobs);
}

/** The first upload's snapshot, as the element's public `uploads` property gives it. */
export function firstUpload(page: Page): Promise<Record<string, unknown> | undefined> {
  return page.evaluate(() => {
    const el = document.querySelector('vod-uploader') as unknown as { uploads: Array<Record<string, unknown>> } | null;
    return el?.uploads[0] ? { ...el.uploads[0] } : undefined;
  });
}

/** Stored sessions in the page's IndexedDB ('vod-uploader' / 'sessions'), read with the raw API. */
export function storedSessions(page: Page): Promise<Array<{ name: string; sha?: string; session?: string; acked: Array<[number, number]> }>> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('vod-uploader');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('sessions')) {
            db.close();
            resolve([]);
            return;
          }
          const all = db.transaction('sessions').objectStore('sessions').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            db.close();
            resolve(
              (all.result as Array<{ session: { name: string; sha?: string; session?: string; acked: Array<[number, number]> } }>).map(
                (r) => ({ name: r.session.name, sha: r.session.sha, session: r.session.session, acked: r.session.acked }),
              ),
            );
          };
        };
      }),
  );
}

/** A small seeded PRNG (mulberry32): the same seed gives the same "random" moments on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The test files and servers a suite makes, cleaned up after each test (registers the afterEach):
 * `file(size, seed?)` writes a random file, `server(options)` starts a fault server.
 */
export function suiteResources(): { file(size: number, seed?: number): TestFile; server(options: FaultServerOptions): Promise<FaultServer> } {
  const files: TestFile[] = [];
  const servers: FaultServer[] = [];
  test.afterEach(async () => {
    files.splice(0).forEach((f) => f.cleanup());
    await Promise.all(servers.splice(0).map((s) => s.dispose()));
  });
  return {
    file(size, seed) {
      const f = makeTestFile(size, { seed });
      files.push(f);
      return f;
    },
    async server(options) {
      const s = await FaultServer.start(options);
      servers.push(s);
      return s;
    },
  };
}
