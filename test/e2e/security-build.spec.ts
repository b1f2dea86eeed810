// The built product under attack-minded checks: the demo page and the self-contained bundle are
// built here (into a temp folder, with the server's SecretKey set to a known value in the build's
// environment) and served by a small node:http server with a strict Content-Security-Policy header.
// - No SecretKey in any built file, nor in anything the demo page loads from its server.
// - Under `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self';
//   connect-src 'self' <server>; style-src 'self'` an upload completes with no CSP violation.
// - Hostile file names and server messages with HTML are shown as text: no element is created.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import { createProtocolHandler, type ProtocolHandler } from '../../demo/server/protocol-server.js';
import { protocolServerPlugin } from '../../demo/server/vite-plugin.js';
import { expect, test, uniqueName } from './helpers/server.js';
import { sha1 } from './helpers/element-page.js';

const root = resolve(import.meta.dirname, '../..');
const SECRET_KEY = 'SecretKeyThatMustNeverReachTheBrowser0123';
const SECRET_ID = 'AKIDsecurityBuildTestId0000000000000';
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};
/** A hostile name, unique per test (one path holds one file). */
const xssName = (): string => `<img src=x onerror=window.__pwned=1> ${uniqueName('x', '')}.mp4`;
const XSS_MESSAGE = '<img src=x onerror=window.__pwned=2><b>bold</b>';

let work = '';
let demoDir = '';
let bundleDir = '';
let dataDir = '';
let handler: ProtocolHandler;
let site: Server;
let origin = '';
let csp = '';

function cspFor(extra = ''): string {
  return ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'", `connect-src 'self' ${origin}`, "style-src 'self'", extra]
    .filter(Boolean)
    .join('; ');
}

/** Serves `dir` under `prefix` with the CSP header; everything else goes to the protocol handler. */
function serveStatic(req: IncomingMessage, res: ServerResponse, prefix: string, dirs: string[]): boolean {
  const url = new URL(req.url ?? '/', 'http://x');
  if (!url.pathname.startsWith(prefix)) return false;
  const rel = normalize(decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html');
  const file = dirs.map((d) => join(d, rel)).find((p) => existsSync(p) && statSync(p).isFile());
  if (!file) {
    res.writeHead(404).end();
    return true;
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-security-policy': csp });
  res.end(readFileSync(file));
  return true;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((p) => statSync(p).isFile());
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  work = mkdtempSync(join(tmpdir(), 'vod-security-build-'));
  demoDir = join(work, 'demo');
  bundleDir = join(work, 'bundle');
  dataDir = join(work, 'data');
  // Whatever a build could pick up from the environment carries the key: a leak would show.
  const saved = { ...process.env };
  Object.assign(process.env, { VOD_SECRET_KEY: SECRET_KEY, VOD_SECRET_ID: SECRET_ID, VITE_VOD_SECRET_KEY: SECRET_KEY });
  try {
    const common = { root, configFile: false as const, base: './', logLevel: 'warn' as const, worker: { format: 'es' as const } };
    // The demo page, as `vite build` of index.html with the demo's plugin.
    await build({ ...common, plugins: [protocolServerPlugin()], build: { outDir: demoDir, emptyOutDir: true, target: 'es2022' } });
    // The self-contained bundle, as scripts/build.mjs makes it.
    await build({
      ...common,
      build: {
        outDir: bundleDir,
        emptyOutDir: true,
        target: 'es2022',
        minify: true,
        lib: { entry: join(root, 'src/vod-uploader.ts'), formats: ['es'], fileName: () => 'vod-uploader.bundle.js' },
        rollupOptions: { output: { codeSplitting: false } },
      },
    });
  } finally {
    process.env = saved;
  }
  handler = createProtocolHandler({ dataDir, secretKey: SECRET_KEY, secretId: SECRET_ID, sliceSize: 256 * 1024 });
  site = createServer((req, res) => {
    if (serveStatic(req, res, '/bundle/', [join(root, 'test/e2e/pages/bundle'), bundleDir])) return;
    handler.handle(req, res, () => {
      if (!serveStatic(req, res, '/', [demoDir])) res.writeHead(404).end();
    });
  });
  await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  if (site) {
    site.closeAllConnections();
    await new Promise((done) => site.close(done));
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Records CSP violations (in the page, from the first script on) and console errors. */
async function watch(page: Page): Promise<{ consoleErrors: string[] }> {
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.addInitScript(() => {
    const w = window as unknown as { cspSeen: string[] };
    w.cspSeen = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspSeen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { consoleErrors };
}
const seen = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { cspSeen: string[] }).cspSeen);

/** Elements an injection would create, in the document and in every shadow root. */
function injectedElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walk = (node: Document | ShadowRoot): void => {
      for (const el of node.querySelectorAll('*')) {
        // The page's own <script src> tags are expected; an inline script or any <img>/<b> is not.
        if (['IMG', 'B', 'IFRAME'].includes(el.tagName) || (el.tagName === 'SCRIPT' && !el.hasAttribute('src'))) found.push(el.outerHTML);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return found;
  });
}

test('no SecretKey in any built file, nor in anything the demo page loads', async ({ page, request }) => {
  const built = [...allFiles(demoDir), ...allFiles(bundleDir)];
  expect(built.some((f) => f.endsWith('vod-uploader.bundle.js'))).toBe(true);
  expect(built.some((f) => /hash\.worker.*\.js$/.test(f))).toBe(true);
  for (const file of built) expect(readFileSync(file).includes(SECRET_KEY), file).toBe(false);
  // The signer (which needs the key) is not in the browser code at all.
  for (const file of built.filter((f) => f.endsWith('.js'))) expect(readFileSync(file, 'utf8')).not.toMatch(/signUploadSignature|verifyUploadSignature/);

  // Everything the running demo fetches, and what its API routes answer.
  csp = cspFor("media-src 'self' blob:");
  const bodies: string[] = [];
  page.on('response', async (r) => {
    if (r.url().startsWith(origin)) bodies.push(`${r.url()}\n${await r.text().catch(() => '')}`);
  });
  await page.goto(`${origin}/`);
  await expect(page.locator('#log')).toContainText('server: appid=');
  const signature = await request.get(`${origin}/api/signature?appid=${handler.config.appid}&bucket=${handler.config.bucket}&path=a.mp4`);
  bodies.push(await signature.text(), await (await request.get(`${origin}/api/config`)).text());
  expect(bodies.length).toBeGreaterThan(3);
  for (const body of bodies) expect(body.includes(SECRET_KEY), body.slice(0, 80)).toBe(false);
  expect(await page.content()).not.toContain(SECRET_KEY);
});

test('the built demo under a strict CSP: a hostile file name uploads and stays text, no violation', async ({ page }) => {
  // The demo shows poster frames and plays uploads: `media-src 'self' blob:` on top of the strict set.
  csp = cspFor("media-src 'self' blob:");
  const { consoleErrors } = await watch(page);
  const XSS_NAME = xssName();
  await page.goto(`${origin}/`);
  await expect(page.locator('#log')).toContainText('settings:');
  const bytes = randomBytes(3 * 256 * 1024 + 5);
  await page.locator('vod-uploader [part=input]').setInputFiles({ name: XSS_NAME, mimeType: 'video/mp4', buffer: bytes });
  await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  expect(handler.stats.completedFiles.find((f) => f.path === `/${XSS_NAME}`)?.sha).toBe(sha1(bytes));
  await expect(page.locator('vod-uploader [part=file] .name')).toHaveText(XSS_NAME);
  // The demo's own list and log show it as text too.
  await expect(page.locator('#videos a').first()).toHaveText(XSS_NAME);
  await expect(page.locator('#log')).toContainText(XSS_NAME);
  expect(await injectedElements(page)).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await seen(page)).toEqual([]);
  expect(consoleErrors.filter((e) => /Content Security Policy|Refused|pwned/i.test(e))).toEqual([]);
  // Control: the policy really is in force on this page (an inline script does not run, and is reported).
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = 1';
    document.head.append(script);
  });
  await expect.poll(() => seen(page)).toEqual([expect.stringMatching(/^script-src-elem inline/)]);
  expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
});

test('the bundle on a plain page under the strict CSP: hostile names and an HTML server message stay text', async ({ page }) => {
  csp = cspFor();
  const { consoleErrors } = await watch(page);
  const nameless = uniqueName('html-message');
  const XSS_NAME = xssName();
  // One file's server answer carries HTML in its message (an unknown code: shown to the user).
  await page.route(`**/files/v1/**/${nameless}`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify({ code: -5999, message: XSS_MESSAGE, data: {} }) }),
  );
  const q = new URLSearchParams({ endpoint: `${origin}/files/v1`, signatureUrl: `${origin}/api/signature`, appid: handler.config.appid, bucket: handler.config.bucket });
  await page.goto(`${origin}/bundle/?${q}`);
  await page.evaluate(() => customElements.whenDefined('vod-uploader'));
  const bytes = randomBytes(2 * 256 * 1024 + 1);
  await page.locator('vod-uploader [part=input]').setInputFiles([
    { name: XSS_NAME, mimeType: 'video/mp4', buffer: bytes },
    { name: nameless, mimeType: 'video/mp4', buffer: randomBytes(1000) },
  ]);
  const good = page.locator('vod-uploader [part=file]', { hasText: XSS_NAME });
  await expect(good).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(good.locator('.name')).toHaveText(XSS_NAME);
  const bad = page.locator('vod-uploader [part=file]', { hasText: nameless });
  await expect(bad).toHaveAttribute('data-status', 'error');
  await expect(bad.locator('[part=status]')).toContainText(XSS_MESSAGE);
  expect(await injectedElements(page)).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // Without media-src, the poster frame is the one thing refused (once; the element then stops trying).
  const violations = await seen(page);
  expect(violations.filter((v) => v !== 'media-src blob')).toEqual([]);
  expect(violations.length).toBeLessThanOrEqual(1);
  expect(consoleErrors.filter((e) => /Content Security Policy|Refused/i.test(e) && !/media-src/.test(e))).toEqual([]);
  // The hash worker came from beside the bundle (worker-src 'self'), not from a blob: URL.
  expect(violations.some((v) => v.startsWith('worker-src'))).toBe(false);
});
