// Signatures on upload requests (-70, -97, -96, -81) and the /api/signature endpoint (ok, 403, faults,
// counting concurrent requests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSignature } from '../../src/protocol/signature-format.js';
import { verifyUploadSignature } from '../../src/signer/index.js';
import { randomFile, sha1, TestServer } from './helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await TestServer.start({ sliceSize: 1000, signatureTtlSeconds: 120 });
});
afterAll(() => s.close());

const file = randomFile(10);
const create = (signature: string, path = 'auth/a.mp4') => s.create(path, { filesize: 10, sha: sha1(file) }, signature);

describe('upload request signatures', () => {
  it('-70 without an Authorization header or with an empty one', async () => {
    const form = new FormData();
    form.append('op', 'upload_slice');
    form.append('filesize', '10');
    form.append('sha', sha1(file));
    const none = await s.post(s.fileUrl('auth/a.mp4'), form);
    expect(none).toMatchObject({ code: -70, message: expect.stringMatching(/^ERROR_PROXY_AUTH_EMPTY/) });
    expect((await create('')).code).toBe(-70);
  });

  it('-97 for garbage and for a signature made with another key', async () => {
    expect((await create('garbage!')).code).toBe(-97);
    const forged = await s.sign({ secretKey: 'not-the-key' });
    expect(await create(forged)).toMatchObject({ code: -97, message: expect.stringMatching(/^ERROR_PROXY_AUTH_INVALID/) });
  });

  it('-96 for an expired signature, also on a slice', async () => {
    const expired = await s.sign({ now: Date.now() - 3600_000, expiresInSeconds: 60 });
    expect(await create(expired)).toMatchObject({ code: -96, message: expect.stringMatching(/^ERROR_PROXY_AUTH_EXPIRED/) });
    const ok = await create(await s.sign());
    const slice = await s.slice('auth/a.mp4', String(ok.data.session), 0, file, expired);
    expect(slice.code).toBe(-96);
  });

  it('-81 for a signature of another bucket, or a URL of a bucket this server does not serve', async () => {
    expect((await create(await s.sign({ bucket: 'other' }))).code).toBe(-81);
    const other = await s.sign({ appid: '999', bucket: 'elsewhere' });
    const form = new FormData();
    form.append('op', 'upload_slice');
    form.append('filesize', '10');
    form.append('sha', sha1(file));
    const r = await s.post(s.fileUrl('a.mp4', '999', 'elsewhere'), form, other);
    expect(r.code).toBe(-81);
    expect(s.server.stats.rejected['-81']).toBe(2);
  });
});

describe('/api/signature', () => {
  const get = (query: string) => fetch(`${s.server.signatureUrl}?${query}`);

  it('signs for the configured appid/bucket with the configured lifetime, as text', async () => {
    const res = await get('appid=1000001&bucket=videos&path=dir%2Fa.mp4');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const signature = await res.text();
    const fields = decodeSignature(signature)?.fields;
    expect(fields).toMatchObject({ a: '1000001', b: 'videos', k: s.config.secretId, f: '' });
    expect((fields?.e ?? 0) - (fields?.t ?? 0)).toBe(120);
    expect((await verifyUploadSignature(signature, { secretKey: s.config.secretKey, appid: '1000001', bucket: 'videos' })).ok).toBe(true);
    expect((await create(signature, 'auth/from-endpoint.mp4')).code).toBe(0);
    expect(signature).not.toContain(s.config.secretKey);
  });

  it('a signature asked for one path is good for any path of the bucket (why README calls the path check advisory)', async () => {
    const signature = await (await get('appid=1000001&bucket=videos&path=allowed%2Fa.mp4')).text();
    expect((await create(signature, 'elsewhere/not-asked-for.mp4')).code).toBe(0);
  });

  it('403 for another appid or bucket, or a path with ..', async () => {
    expect((await get('appid=1&bucket=videos&path=a')).status).toBe(403);
    expect((await get('appid=1000001&bucket=x&path=a')).status).toBe(403);
    const dots = await get('appid=1000001&bucket=videos&path=a%2F..%2Fb');
    expect(dots.status).toBe(403);
    expect(await dots.text()).toMatch(/\.\./);
  });

  it('obeys faults: down (503), 403, html, garbage', async () => {
    try {
      s.server.setFaults({ signature: 'down' });
      expect((await get('path=a')).status).toBe(503);
      s.server.setFaults({ signature: '403' });
      expect((await get('path=a')).status).toBe(403);
      s.server.setFaults({ signature: 'html' });
      const html = await get('path=a');
      expect([html.status, html.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      s.server.setFaults({ signature: 'garbage' });
      expect(decodeSignature(await (await get('path=a')).text())).toBeUndefined();
    } finally {
      s.server.setFaults({});
    }
  });

  it('counts requests and the most in flight at once', async () => {
    s.server.stats.reset();
    s.server.setFaults({ signatureDelayMs: 150 });
    try {
      await Promise.all([get('path=a'), get('path=b'), get('path=c')].map(async (p) => (await p).text()));
      await (await get('path=d')).text();
    } finally {
      s.server.setFaults({});
    }
    expect(s.server.stats.signatureRequests).toBe(4);
    expect(s.server.stats.maxConcurrentSignatureRequests).toBe(3);
  });
});
