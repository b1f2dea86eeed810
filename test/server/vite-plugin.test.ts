// The demo's mount: Vite's dev server with protocolServerPlugin() answers the protocol on its own
// origin (config, signature, a whole upload, GET), and mounts nothing with VOD_MOUNT_SERVER=0.
import { rmSync } from 'node:fs';
import { createServer, type ViteDevServer } from 'vite';
import { afterEach, expect, it } from 'vitest';
import { protocolServerPlugin } from '../../demo/server/vite-plugin.js';
import { blobOf, randomFile, sha1, tempDir } from './helpers.js';

let vite: ViteDevServer | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await vite?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  vite = undefined;
});

async function startVite(): Promise<string> {
  dataDir = tempDir();
  vite = await createServer({
    configFile: false,
    root: dataDir,
    logLevel: 'silent',
    plugins: [protocolServerPlugin({ dataDir, sliceSize: 1000 })],
    server: { host: '127.0.0.1', port: 0, ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await vite.listen();
  return (vite.resolvedUrls?.local[0] ?? '').replace(/\/$/, '');
}

it('serves config, signatures and a whole upload on the dev server origin', async () => {
  const origin = await startVite();
  const config = (await (await fetch(`${origin}/api/config`)).json()) as { appid: string; bucket: string; sliceSize: number };
  expect(config).toEqual({ appid: '1000001', bucket: 'videos', sliceSize: 1000 });
  const signature = await (await fetch(`${origin}/api/signature?appid=${config.appid}&bucket=${config.bucket}&path=demo%2Fa.mp4`)).text();
  const url = `${origin}/files/v1/${config.appid}/${config.bucket}/demo/a.mp4`;
  const file = randomFile(1500);
  const first = new FormData();
  first.append('op', 'upload_slice');
  first.append('filesize', '1500');
  first.append('sha', sha1(file));
  const created = (await (await fetch(url, { method: 'POST', body: first, headers: { Authorization: signature } })).json()) as {
    data: { session: string };
  };
  let last: { code: number; data: { access_url?: string } } | undefined;
  for (const offset of [0, 1000]) {
    const form = new FormData();
    form.append('op', 'upload_slice');
    form.append('session', created.data.session);
    form.append('offset', String(offset));
    form.append('filecontent', blobOf(file.subarray(offset, offset + 1000)));
    last = (await (await fetch(url, { method: 'POST', body: form, headers: { Authorization: signature } })).json()) as typeof last;
  }
  expect(last?.data.access_url).toBe(url);
  const back = await fetch(url);
  expect(back.headers.get('content-type')).toBe('video/mp4');
  expect(sha1(Buffer.from(await back.arrayBuffer()))).toBe(sha1(file));
});

it('mounts nothing when VOD_MOUNT_SERVER=0', async () => {
  const before = process.env.VOD_MOUNT_SERVER;
  process.env.VOD_MOUNT_SERVER = '0';
  try {
    const origin = await startVite();
    const res = await fetch(`${origin}/api/config`);
    expect(res.headers.get('content-type') ?? '').not.toMatch(/json/);
  } finally {
    if (before === undefined) delete process.env.VOD_MOUNT_SERVER;
    else process.env.VOD_MOUNT_SERVER = before;
  }
});
