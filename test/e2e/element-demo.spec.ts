// The demo page (index.html + demo/main.ts) as `npm start` serves it, with the local protocol
// server mounted, under the strict CSP the project promises: it uploads, logs and plays the video.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { protocolServerPlugin } from '../../demo/server/vite-plugin.js';

const root = resolve(import.meta.dirname, '../..');
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "media-src 'self'",
].join('; ');

let vite: ViteDevServer;
let origin = '';
let dataDir = '';

test.beforeAll(async () => {
  test.setTimeout(90_000);
  dataDir = mkdtempSync(join(tmpdir(), 'vod-demo-'));
  const csp: Plugin = {
    name: 'test-csp',
    configureServer(server) {
      server.middlewares.use((_req, res, next) => {
        res.setHeader('content-security-policy', CSP);
        next();
      });
    },
  };
  // The e2e page server runs with VOD_MOUNT_SERVER=0; this one is the demo as `npm start` runs it.
  const saved = process.env.VOD_MOUNT_SERVER;
  delete process.env.VOD_MOUNT_SERVER;
  try {
    vite = await createServer({
      root,
      configFile: false,
      base: './',
      logLevel: 'silent',
      worker: { format: 'es' },
      plugins: [csp, protocolServerPlugin({ dataDir, sliceSize: 256 * 1024 })],
      server: { host: '127.0.0.1', port: 0, hmr: false },
    });
  } finally {
    if (saved !== undefined) process.env.VOD_MOUNT_SERVER = saved;
  }
  await vite.listen();
  origin = vite.resolvedUrls!.local[0]!.replace(/\/$/, '');
});

test.afterAll(async () => {
  await vite?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the demo uploads under a strict CSP, logs the events and plays the uploaded video', async ({ page }) => {
  test.setTimeout(90_000);
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(`${origin}/`);
  await expect(page.locator('#log')).toContainText('server: appid=');
  await expect(page.locator('input[name=endpoint]')).toHaveValue(`${origin}/files/v1`);

  const name = `demo-${Date.now()}.mp4`;
  await page.locator('vod-uploader [part=input]').setInputFiles({ name, mimeType: 'video/mp4', buffer: randomBytes(700_000) });
  await expect(page.locator('vod-uploader [part=file]')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(page.locator('#log')).toContainText(`vod-upload-success ${name}`);
  const video = page.locator('#videos video');
  await expect(video).toHaveCount(1);
  const src = await video.getAttribute('src');
  expect(src).toBe(`${origin}/files/v1/1000001/videos/${name}`);
  // The access_url serves the uploaded bytes (random bytes: the player cannot decode them, but they are there).
  const response = await page.request.get(src!);
  expect(response.status()).toBe(200);
  expect((await response.body()).length).toBe(700_000);

  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.locator('#publish-result')).toHaveText(`Published 1: /${name}`);
  // The only refusal allowed is the poster frame's blob: video (this CSP grants no `media-src blob:`).
  expect(violations.filter((v) => !/media-src/.test(v))).toEqual([]);
});
