// A Playwright fixture with a real protocol server (demo/server) per worker, on port 0 with a temp
// data folder: another origin than the Vite page server, so every upload goes through CORS for real.
// `server` is per test: faults are cleared after each test, so one test's failures do not leak.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { startProtocolServer, type RunningProtocolServer } from '../../../demo/server/protocol-server.js';

export interface TestServer extends RunningProtocolServer {
  appid: string;
  bucket: string;
  sliceSize: number;
}

/** Slices small enough that a few MiB make several of them (progress, pause, resume are visible). */
export const TEST_SLICE_SIZE = 256 * 1024;

export const test = base.extend<{ server: TestServer }, { workerServer: TestServer }>({
  workerServer: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'vod-e2e-'));
      const running = await startProtocolServer({ dataDir, port: 0, sliceSize: TEST_SLICE_SIZE });
      const { appid, bucket, sliceSize } = running.handler.config;
      await use(Object.assign(running, { appid, bucket, sliceSize }));
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  server: async ({ workerServer }, use) => {
    await use(workerServer);
    workerServer.setFaults({});
  },
});

export { expect };

/** A name no other test uses, so per-path stats belong to one test. */
export function uniqueName(stem: string, ext = '.mp4'): string {
  return `${stem}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}${ext}`;
}
