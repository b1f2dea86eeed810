// The demo protocol server (demo/server) as a restartable process with a log of every upload request
// as the server saw it. Free of Playwright, so the WebKit runner (test/webkit) uses it too.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createProtocolHandler,
  type Faults,
  type PathStats,
  type ProtocolHandler,
  type ProtocolServerOptions,
  type ServerStats,
} from '../../../demo/server/protocol-server.js';

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

const COUNTERS = ['requests', 'createRequests', 'sliceRequests', 'bytesReceived', 'bytesDuplicate', 'bytesReadBack', 'completed'] as const;

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
  private hold?: { path: string; bytes: number; reached: () => void };

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
    const sum: PathStats = { requests: 0, createRequests: 0, sliceRequests: 0, bytesReceived: 0, bytesDuplicate: 0, bytesReadBack: 0, completed: 0 };
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

  /**
   * Resolves once `path` has `bytes` received (all instances summed) and a further request of it
   * arrives; from then on this instance leaves every new request of `path` unanswered (body unread)
   * until stop(). A test that stops the server after this knows the rest of the file was not sent,
   * however slow the machine: the outage begins at a server-side point, not after a guessed time.
   */
  holdAfter(path: string, bytes: number): Promise<void> {
    return new Promise((resolve) => {
      this.hold = { path, bytes, reached: resolve };
    });
  }

  /** True when the request must be left unanswered (see holdAfter). */
  private held(path: string): boolean {
    const hold = this.hold;
    if (!hold || hold.path !== path || this.pathTotals(path).bytesReceived < hold.bytes) return false;
    hold.reached();
    return true;
  }

  /** Stops like a killed process: open connections are cut. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.hold = undefined;
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
        if (this.held(path)) return;
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

