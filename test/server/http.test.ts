// The HTTP side: path checks, early 413, CORS, GET with Range, fault injection and the /__* routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobOf, rawRequest, randomFile, sha1, TestServer } from './helpers.js';

const SLICE = 1000;
let s: TestServer;
beforeAll(async () => {
  s = await TestServer.start({ sliceSize: SLICE });
});
afterAll(() => s.close());

async function createRaw(path: string): Promise<{ status: number; code: number; message: string }> {
  const boundary = 'b0undary';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="op"\r\n\r\nupload_slice\r\n--${boundary}\r\nContent-Disposition: form-data; name="filesize"\r\n\r\n1\r\n--${boundary}\r\nContent-Disposition: form-data; name="sha"\r\n\r\n${'a'.repeat(40)}\r\n--${boundary}--\r\n`;
  const res = await rawRequest(s.server.url, `/files/v1/1000001/videos/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, Authorization: await s.sign(), 'Content-Length': Buffer.byteLength(body) },
    body,
  });
  return { status: res.status, ...(JSON.parse(res.text) as { code: number; message: string }) };
}

describe('paths', () => {
  it.each([
    ['dot-dot segment', 'a/../b.mp4'],
    ['encoded dot-dot', 'a/%2E%2E/b.mp4'],
    ['dot segment', './b.mp4'],
    ['encoded slash', 'a%2F..%2Fb.mp4'],
    ['backslash', 'a\\..\\b.mp4'],
    ['encoded backslash', 'a%5Cb.mp4'],
    ['control character', 'a/b%0A.mp4'],
    ['NUL', 'b%00.mp4'],
    ['empty segment', 'a//b.mp4'],
    ['trailing slash (a folder)', 'a/b/'],
    ['bad percent-encoding', 'b%E0%A4%A.mp4'],
  ])('refuses a %s with -4012', async (_label, path) => {
    const r = await createRaw(encodeURI(path).replace(/%25/g, '%'));
    expect(r).toMatchObject({ code: -4012, message: expect.stringMatching(/^ERROR_PATH_INVALID/) });
  });

  it('accepts a name of any length: 90 Chinese characters (274 bytes) and 4000 bytes', async () => {
    for (const name of [`${'视频'.repeat(45)}.mp4`, `${'é'.repeat(2000)}.mp4`]) {
      const file = randomFile(10);
      const r = await s.create(encodeURIComponent(name), { filesize: 10, sha: sha1(file) });
      expect(r.code).toBe(0);
      const done = await s.slice(encodeURIComponent(name), String(r.data.session), 0, file);
      expect(done.data.resource_path).toBe(`/${name}`);
    }
  });

  it('with the maxNameBytes fault, refuses a longer name with -4012 and its reason', async () => {
    s.server.setFaults({ maxNameBytes: 255 });
    try {
      const r = await s.create(encodeURIComponent(`${'视频'.repeat(45)}.mp4`), { filesize: 1, sha: 'a'.repeat(40) });
      expect(r).toMatchObject({ code: -4012, message: 'ERROR_PATH_INVALID: the file name is 274 bytes long; this server allows at most 255' });
      expect((await s.create(encodeURIComponent(`${'视频'.repeat(41)}.mp4`), { filesize: 1, sha: 'a'.repeat(40) })).code).toBe(0);
    } finally {
      s.server.setFaults({});
    }
  });

  it('accepts UTF-8 names, spaces and several folders', async () => {
    const file = randomFile(10);
    const path = '视频/2026 年/my clip (1).mp4';
    const r = await s.create(path.split('/').map(encodeURIComponent).join('/'), { filesize: 10, sha: sha1(file) });
    expect(r.code).toBe(0);
    const done = await s.slice(path.split('/').map(encodeURIComponent).join('/'), String(r.data.session), 0, file);
    expect(done.data.resource_path).toBe('/视频/2026 年/my clip (1).mp4');
    const back = await fetch(String(done.data.access_url));
    expect(sha1(Buffer.from(await back.arrayBuffer()))).toBe(sha1(file));
  });
});

describe('body size', () => {
  it('answers 413 from the Content-Length alone, before the body is sent', async () => {
    const started = Date.now();
    const res = await rawRequest(s.server.url, '/files/v1/1000001/videos/big.mp4', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=x', Authorization: await s.sign(), 'Content-Length': 50 * 1024 * 1024 },
      bodyChunks: [Buffer.alloc(1024)],
    }).catch((e: unknown) => ({ status: -1, headers: {}, text: String(e) }));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({ code: -4013, message: expect.stringMatching(/^ERROR_BODY_TOO_LARGE/) });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers 413 to a chunked body once it passes the limit', async () => {
    const res = await rawRequest(s.server.url, '/files/v1/1000001/videos/big.mp4', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=x', Authorization: await s.sign(), 'Transfer-Encoding': 'chunked' },
      bodyChunks: [Buffer.alloc(40 * 1024), Buffer.alloc(40 * 1024)],
    }).catch((e: unknown) => ({ status: -1, headers: {}, text: String(e) }));
    expect(res.status).toBe(413);
    expect(s.server.stats.rejected['-4013']).toBeGreaterThanOrEqual(2);
  });
});

describe('CORS', () => {
  it('answers the preflight of a cross-origin upload', async () => {
    const res = await fetch(s.fileUrl('cors/a.mp4'), {
      method: 'OPTIONS',
      headers: { Origin: 'https://site.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    const answer = await fetch(s.fileUrl('cors/a.mp4'), { method: 'POST', headers: { Origin: 'https://site.example' } });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('echoes only allowed origins when a list is configured', async () => {
    const t = await TestServer.start({ allowedOrigins: ['https://good.example'] });
    try {
      const pre = (origin: string) =>
        fetch(t.fileUrl('a.mp4'), { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
      expect((await pre('https://good.example')).headers.get('access-control-allow-origin')).toBe('https://good.example');
      expect((await pre('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await t.close();
    }
  });
});

describe('GET of a finished file', () => {
  it('serves the bytes with Content-Type, ETag and single ranges', async () => {
    const file = randomFile(2500);
    const done = await s.upload('get/clip.mp4', file, { parallel: 2 });
    const url = String(done.data.access_url);
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('etag')).toBe(`"${sha1(file)}"`);
    expect(Buffer.from(await whole.arrayBuffer()).equals(file)).toBe(true);
    const part = await fetch(url, { headers: { Range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 1000-1999/2500');
    expect(Buffer.from(await part.arrayBuffer()).equals(file.subarray(1000, 2000))).toBe(true);
    const tail = await fetch(url, { headers: { Range: 'bytes=-100' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(file.subarray(2400))).toBe(true);
    const open = await fetch(url, { headers: { Range: 'bytes=2000-' } });
    expect(open.headers.get('content-length')).toBe('500');
    await open.arrayBuffer();
    const bad = await fetch(url, { headers: { Range: 'bytes=3000-' } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe('bytes */2500');
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('2500');
    expect((await fetch(s.fileUrl('get/none.mp4'))).status).toBe(404);
  });
});

describe('faults', () => {
  it('errorRate 1 answers every upload request 500 or 503 and stores nothing', async () => {
    const file = randomFile(1500);
    const created = await s.create('fault/e.mp4', { filesize: file.length, sha: sha1(file) });
    s.server.setFaults({ errorRate: 1 });
    try {
      const statuses = new Set<number>();
      for (let i = 0; i < 8; i++) {
        const res = await fetch(s.fileUrl('fault/e.mp4'), { method: 'POST', body: new FormData(), headers: { Authorization: await s.sign() } });
        statuses.add(res.status);
        await res.arrayBuffer();
      }
      expect([...statuses].every((st) => st === 500 || st === 503)).toBe(true);
      const slice = await s.slice('fault/e.mp4', String(created.data.session), 0, file.subarray(0, SLICE)).catch(() => undefined);
      // An HTML body does not parse (undefined); a JSON one carries the 5xx status.
      expect(slice === undefined || slice.status >= 500).toBe(true);
    } finally {
      s.server.setFaults({});
    }
    const resumed = await s.create('fault/e.mp4', { filesize: file.length, sha: sha1(file) });
    expect(resumed.data.offset).toBe(0);
  });

  it('dropRate 1 destroys the connection: fetch fails with a network error', async () => {
    s.server.setFaults({ dropRate: 1 });
    try {
      await expect(s.create('fault/d.mp4', { filesize: 10, sha: 'a'.repeat(40) })).rejects.toThrow(/fetch failed/);
      expect(s.server.stats.rejected.dropped).toBe(1);
    } finally {
      s.server.setFaults({});
    }
  });

  it('delayMs delays every upload answer; slowSliceMs only slice answers', async () => {
    const file = randomFile(1500);
    s.server.setFaults({ slowSliceMs: 300 });
    try {
      let t = Date.now();
      const created = await s.create('fault/s.mp4', { filesize: file.length, sha: sha1(file) });
      expect(Date.now() - t).toBeLessThan(250);
      t = Date.now();
      await s.slice('fault/s.mp4', String(created.data.session), 0, file.subarray(0, SLICE));
      expect(Date.now() - t).toBeGreaterThanOrEqual(290);
      s.server.setFaults({ delayMs: 200 });
      t = Date.now();
      await s.create('fault/s2.mp4', { filesize: 1, sha: 'a'.repeat(40) });
      expect(Date.now() - t).toBeGreaterThanOrEqual(190);
    } finally {
      s.server.setFaults({});
    }
  });
});

describe('control routes', () => {
  it('GET /__stats, POST /__stats/reset, /__faults, /__forget, GET /api/config', async () => {
    const file = randomFile(1200);
    const created = await s.create('ctl/a.mp4', { filesize: file.length, sha: sha1(file) });
    const stats = (await (await fetch(`${s.server.url}/__stats`)).json()) as { paths: Record<string, { createRequests: number }> };
    expect(stats.paths['/ctl/a.mp4']?.createRequests).toBe(1);
    await fetch(`${s.server.url}/__stats/reset`, { method: 'POST' });
    expect(s.server.stats.total.requests).toBe(0);
    const set = await fetch(`${s.server.url}/__faults`, { method: 'POST', body: JSON.stringify({ signature: '403', bogus: 1, errorRate: 7 }) });
    expect(await set.json()).toEqual({ signature: '403', errorRate: 1 });
    expect((await fetch(`${s.server.signatureUrl}?path=a`)).status).toBe(403);
    await fetch(`${s.server.url}/__faults`, { method: 'POST', body: '{}' });
    await fetch(`${s.server.url}/__forget`, { method: 'POST' });
    expect((await s.slice('ctl/a.mp4', String(created.data.session), 0, file.subarray(0, SLICE))).code).toBe(-94);
    expect(await (await fetch(`${s.server.url}/api/config`)).json()).toEqual({ appid: '1000001', bucket: 'videos', sliceSize: SLICE });
  });

  it('POST /__raw takes a whole file as the body and answers its size and sha', async () => {
    const file = randomFile(300_000);
    const res = await fetch(`${s.server.url}/__raw`, { method: 'POST', body: blobOf(file) });
    expect(await res.json()).toMatchObject({ code: 0, data: { size: 300_000, sha: sha1(file) } });
  });

  it('delayMs delays POST /__raw too (the bench compares it with delayed slices)', async () => {
    s.server.setFaults({ delayMs: 200 });
    try {
      const t = Date.now();
      await (await fetch(`${s.server.url}/__raw`, { method: 'POST', body: blobOf(randomFile(1000)) })).json();
      expect(Date.now() - t).toBeGreaterThanOrEqual(190);
    } finally {
      s.server.setFaults({});
    }
  });
});
