// The self-contained build on a plain static server: dist/vod-uploader.bundle.js loaded from a
// sub-folder under a strict CSP finds its worker beside it, and uploads to a server on another origin.
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, normalize, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { en } from '../../src/element/locales/en.js';
import { makeTestFile } from './helpers/files.js';
import { expect, test, uniqueName, type TestServer } from './helpers/server.js';

const root = resolve(import.meta.dirname, '../..');
const dist = join(root, 'dist');
const pageDir = join(root, 'test/e2e/pages/bundle');
const PREFIX = '/some/sub/folder/';
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json', '.json': 'application/json' };

function newestMtime(dir: string): number {
  return Math.max(...readdirSync(dir, { recursive: true }).map((f) => statSync(join(dir, String(f))).mtimeMs));
}

/** Builds once when dist is missing or older than the sources (a full build takes a few seconds). */
function ensureBuilt(): void {
  const bundle = join(dist, 'vod-uploader.bundle.js');
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestMtime(join(root, 'src'))) return;
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
}

let staticServer: Server;
let staticOrigin = '';
const requested: string[] = [];
let csp = '';
let strictCsp = '';

/** The strict policy with `worker-src` and `script-src` as given. */
function policy(connect: string, worker: string, script: string): string {
  return ["default-src 'self'", `script-src ${script}`, `worker-src ${worker}`, `connect-src 'self' ${connect}`, "style-src 'self'"].join('; ');
}

test.beforeAll(async ({ workerServer }) => {
  test.setTimeout(120_000);
  ensureBuilt();
  strictCsp = policy(workerServer.url, "'self'", "'self' 'wasm-unsafe-eval'");
  csp = strictCsp;
  staticServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requested.push(url.pathname);
    if (!url.pathname.startsWith(PREFIX)) {
      res.writeHead(404).end();
      return;
    }
    const rel = normalize(decodeURIComponent(url.pathname.slice(PREFIX.length)) || 'index.html');
    const file = [join(pageDir, rel), join(dist, rel)].find((p) => p.startsWith(root) && existsSync(p) && statSync(p).isFile());
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-security-policy': csp });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => staticServer.listen(0, '127.0.0.1', done));
  staticOrigin = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}`;
});

test.afterEach(() => {
  csp = strictCsp;
  requested.length = 0;
});

test.afterAll(async () => {
  if (staticServer) await new Promise((done) => staticServer.close(done));
});

test('the bundle from a sub-folder, under a strict CSP, uploads to another origin', async ({ page, server }) => {
  const q = new URLSearchParams({ endpoint: server.endpoint, signatureUrl: server.signatureUrl, appid: server.appid, bucket: server.bucket });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.goto(`${staticOrigin}${PREFIX}?${q}`);
  await page.evaluate(() => customElements.whenDefined('vod-uploader'));

  const name = uniqueName('bundle');
  const bytes = randomBytes(3 * server.sliceSize + 17);
  await page.locator('vod-uploader [part=input]').setInputFiles({ name, mimeType: 'video/mp4', buffer: bytes });
  await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done');
  expect(server.stats.completedFiles.find((f) => f.path === `/${name}`)?.sha).toBe(createHash('sha1').update(bytes).digest('hex'));

  const second = uniqueName('bundle-2');
  await page.locator('vod-uploader [part=input]').setInputFiles({ name: second, mimeType: 'video/mp4', buffer: randomBytes(5000) });
  await expect(page.locator('vod-uploader [part=file][data-status=done]')).toHaveCount(2);

  // The hash worker came from beside the bundle, not from the site root.
  const workerPaths = requested.filter((p) => /hash\.worker.*\.js$/.test(p));
  expect(workerPaths.length).toBeGreaterThan(0);
  expect(workerPaths.every((p) => p.startsWith(`${PREFIX}assets/`))).toBe(true);
  // The main-thread fallback's hashing code is not fetched where the worker runs.
  expect(requested.some((p) => /\/assets\/hash-core-/.test(p))).toBe(false);
  // The one expected refusal: the poster frame needs `media-src blob:`, which this CSP does not grant;
  // the element then stops trying (one report, not one per file). Nothing else may be refused.
  const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  expect(violations.filter((v) => v !== 'media-src blob')).toEqual([]);
  expect(violations.length).toBeLessThanOrEqual(1);
  expect(consoleErrors.filter((e) => /Content Security Policy|Refused/i.test(e) && !/media-src/.test(e))).toEqual([]);
  // Styles arrive as adopted stylesheets: the drop zone is styled although style-src forbids inline styles.
  const border = await page.locator('vod-uploader [part=dropzone]').evaluate((el) => getComputedStyle(el).borderStyle);
  expect(border).toBe('dashed');
});

async function openBundlePage(page: Page, server: TestServer): Promise<void> {
  const q = new URLSearchParams({ endpoint: server.endpoint, signatureUrl: server.signatureUrl, appid: server.appid, bucket: server.bucket });
  await page.goto(`${staticOrigin}${PREFIX}?${q}`);
  await page.evaluate(() => customElements.whenDefined('vod-uploader'));
}

test('a CSP that blocks the worker (worker-src none): hashing falls back to the main thread, the upload completes', async ({ page, server }) => {
  csp = policy(server.url, "'none'", "'self' 'wasm-unsafe-eval'");
  await openBundlePage(page, server);
  const name = uniqueName('no-worker');
  const bytes = randomBytes(3 * server.sliceSize + 17);
  await page.locator('vod-uploader [part=input]').setInputFiles({ name, mimeType: 'video/mp4', buffer: bytes });
  await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done');
  expect(server.stats.completedFiles.find((f) => f.path === `/${name}`)?.sha).toBe(createHash('sha1').update(bytes).digest('hex'));
  const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  expect(violations.some((v) => v.startsWith('worker-src'))).toBe(true);
  // The fallback came as its own chunk, only now; the worker was never fetched.
  expect(requested.some((p) => /\/assets\/hash-core-[\w-]+\.js$/.test(p))).toBe(true);
  expect(requested.some((p) => /hash\.worker/.test(p))).toBe(false);
});

test('worker and WebAssembly both refused: "hashing unavailable" with a Retry; choosing the file again replaces the row', async ({ page, server }) => {
  csp = policy(server.url, "'none'", "'self'");
  await openBundlePage(page, server);
  // On disk, so that choosing it again gives the same name, size and modification time.
  const file = makeTestFile(2 * server.sliceSize, { name: uniqueName('no-wasm') });
  const name = basename(file.path);
  const input = page.locator('vod-uploader [part=input]');
  await input.setInputFiles(file.path);
  const row = page.locator('vod-uploader [part=file]');
  await expect(row).toHaveAttribute('data-status', 'error');
  await expect(row.locator('[part=status]')).toHaveText(`${en.errorHashing} (${en.errorCode.replace('{code}', 'hashing-unavailable')})`);
  const retry = row.getByRole('button', { name: `Retry ${name}` });
  await expect(retry).toBeVisible();
  await retry.click();
  await expect(row).toHaveAttribute('data-status', 'error');
  await expect(row.locator('[part=status]')).toContainText(en.errorHashing);

  // The same file again is not "already in the list": it takes the errored row's place.
  const firstId = await row.getAttribute('data-id');
  await input.setInputFiles(file.path);
  await expect(row).not.toHaveAttribute('data-id', firstId!);
  await expect(row).toHaveCount(1);
  await expect(page.locator('vod-uploader .notice')).toHaveCount(0);
  await expect(row).toHaveAttribute('data-status', 'error');
  expect(server.stats.paths[`/${name}`]).toBeUndefined();
  file.cleanup();
});
