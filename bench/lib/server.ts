// A fresh local protocol server per measured run (demo/server): an empty data directory under
// os.tmpdir(), so no run is answered "instant upload" because an earlier run left the same sha.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProtocolServer, type RunningProtocolServer } from '../../demo/server/index.js';

export interface BenchServer {
  server: RunningProtocolServer;
  appid: string;
  bucket: string;
  sliceSize: number;
  close(): Promise<void>;
}

/** What a measured run's server is: slice size, discard mode, delay per upload request, HTTPS (HTTP/2 + 1.1). */
export interface BenchServerOptions {
  sliceSize?: number;
  discard: boolean;
  delayMs?: number;
  https?: boolean;
}

export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vod-bench-'));
  const server = await startProtocolServer({
    dataDir,
    port: 0,
    sliceSize: options.sliceSize,
    discard: options.discard,
    faults: options.delayMs ? { delayMs: options.delayMs } : {},
    https: options.https,
  });
  const { appid, bucket, sliceSize } = server.handler.config;
  return {
    server,
    appid,
    bucket,
    sliceSize,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `work` against a fresh server and always cleans up after it. */
export async function withServer<T>(
  options: BenchServerOptions,
  work: (server: BenchServer) => Promise<T>,
): Promise<T> {
  const server = await startBenchServer(options);
  try {
    return await work(server);
  } finally {
    await server.close();
  }
}

/** The URLs a page uses to reach `server` at `origin` (a link emulator or HTTPS in front; default its own). */
export function browserUrls(server: BenchServer, origin = server.server.url): { endpoint: string; signatureUrl: string; raw: string } {
  return { endpoint: `${origin}/files/v1`, signatureUrl: `${origin}/api/signature`, raw: `${origin}/__raw` };
}
