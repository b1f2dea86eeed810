// Shared pieces of the fault-injection suite (test/e2e/faults-*.spec.ts): a real protocol server
// (demo/server) that a test can stop and start again on the same port and data folder, with a log
// of every upload request as the server saw it (when it came, when it ended, how many of the same
// file were open at once), and page probes (hash jobs sent to the worker, statuses, IndexedDB).
// The suite asserts on these server-side observations, never on the product's own claims.

import { test as base, expect, type Page } from '@playwright/test';
import { makeTestFile, type TestFile } from './files.js';
import { FaultServer, type FaultServerOptions } from './fault-server.js';

export { FaultServer, KiB, MiB, type FaultServerOptions, type UploadRequestRecord } from './fault-server.js';

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
