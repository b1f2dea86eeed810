// Security of the demo upload_slice server beyond test/server/*: forged signatures the verifier must
// see through, and path tricks the path tests do not try. Bodies and concurrent slices are in
// security-slices.test.ts.
//
// Already covered elsewhere and not repeated here: -70/-97/-96/-81 basics (test/server/auth.test.ts),
// `..`, `%2E%2E`, `%2F`, `\`, `%0A`, NUL, `//` (test/server/http.test.ts "paths").

import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64ToBytes, buildPlainText, bytesToBase64, decodeSignature } from '../../src/protocol/signature-format.js';
import { randomFile, rawRequest, sha1, TestServer } from '../server/helpers.js';

const SLICE = 64 * 1024;
let s: TestServer;
beforeAll(async () => {
  s = await TestServer.start({ sliceSize: SLICE });
});
afterAll(() => s.close());

const tiny = randomFile(10);
const createWith = (signature: string, path = 'sec/a.mp4') => s.create(path, { filesize: tiny.length, sha: sha1(tiny) }, signature);

/** Re-encodes a valid signature with some plain-text fields changed but the original HMAC kept. */
function tamper(signature: string, change: (plain: string) => string): string {
  const bytes = base64ToBytes(signature);
  const plain = new TextDecoder().decode(bytes.subarray(20));
  const next = new TextEncoder().encode(change(plain));
  const out = new Uint8Array(20 + next.length);
  out.set(bytes.subarray(0, 20));
  out.set(next, 20);
  return bytesToBase64(out);
}

/** HMAC-SHA1 with node:crypto, independent of the product's signer. */
function signPlain(key: string, plain: string): string {
  const hmac = createHmac('sha1', key).update(plain).digest();
  return Buffer.concat([hmac, Buffer.from(plain)]).toString('base64');
}

describe('forged signatures', () => {
  it('an extended expiry, another bucket or another SecretId with the original HMAC: -97', async () => {
    const good = await s.sign();
    expect((await createWith(good)).code).toBe(0);
    const later = tamper(good, (p) => p.replace(/e=(\d+)/, (_m, e: string) => `e=${Number(e) + 86_400}`));
    expect(await createWith(later)).toMatchObject({ code: -97, message: expect.stringMatching(/^ERROR_PROXY_AUTH_INVALID/) });
    const bucket = tamper(good, (p) => p.replace(/b=[^&]*$/, `b=${s.config.bucket}x`));
    expect((await createWith(bucket)).code).toBe(-97);
    const id = tamper(good, (p) => p.replace(/k=[^&]*/, 'k=AKIDsomeoneelse'));
    expect((await createWith(id)).code).toBe(-97);
    // The HMAC alone, or one byte of it flipped.
    expect((await createWith(bytesToBase64(base64ToBytes(good).subarray(0, 20))))).toMatchObject({ code: -97 });
    const flipped = base64ToBytes(good);
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect((await createWith(bytesToBase64(flipped))).code).toBe(-97);
  });

  it('signed with the real key but for a lifetime over 3 months: -97; already expired: -96', async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = { a: s.config.appid, k: s.config.secretId, t: now, r: '1', f: '', b: s.config.bucket };
    const tooLong = signPlain(s.config.secretKey, buildPlainText({ ...base, e: now + 100 * 86_400 }));
    expect((await createWith(tooLong)).code).toBe(-97);
    const expired = signPlain(s.config.secretKey, buildPlainText({ ...base, t: now - 120, e: now - 60 }));
    expect((await createWith(expired)).code).toBe(-96);
    // A single-use signature (e=0, f=path) is for delete/update, never for uploads.
    const once = signPlain(s.config.secretKey, buildPlainText({ ...base, e: 0, f: `/${s.config.appid}/${s.config.bucket}/sec/a.mp4` }));
    expect((await createWith(once)).code).not.toBe(0);
    // Sanity: the independent signer agrees with the server when everything is right.
    const fine = signPlain(s.config.secretKey, buildPlainText({ ...base, e: now + 600 }));
    expect(decodeSignature(fine)?.fields.e).toBe(now + 600);
    expect((await createWith(fine)).code).toBe(0);
  });

  it('a signature for another bucket cannot continue a session opened with a good one', async () => {
    const file = randomFile(SLICE + 5);
    const r = await s.create('sec/cont.mp4', { filesize: file.length, sha: sha1(file) });
    const other = await s.sign({ bucket: 'elsewhere' });
    const slice = await s.slice('sec/cont.mp4', String(r.data.session), 0, file.subarray(0, SLICE), other);
    expect(slice.code).toBe(-81);
    expect(s.server.stats.paths['/sec/cont.mp4']?.bytesReceived ?? 0).toBe(0);
  });
});

describe('path tricks not covered by the path tests', () => {
  async function createRaw(path: string): Promise<{ status: number; code: number }> {
    const boundary = 'sec-boundary';
    const body = [
      `--${boundary}\r\nContent-Disposition: form-data; name="op"\r\n\r\nupload_slice\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="filesize"\r\n\r\n10\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="sha"\r\n\r\n${sha1(tiny)}\r\n--${boundary}--\r\n`,
    ].join('');
    const res = await rawRequest(s.server.url, `/files/v1/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, Authorization: await s.sign(), 'Content-Length': Buffer.byteLength(body) },
      body,
    });
    return { status: res.status, ...(JSON.parse(res.text) as { code: number }) };
  }

  it.each([
    ['lower-case %2e%2e', 'a/%2e%2e/b.mp4'],
    ['mixed .%2e', 'a/.%2e/b.mp4'],
    ['%2e alone', '%2e/b.mp4'],
    ['lower-case %2f inside a name', 'a%2f..%2fb.mp4'],
    ['lower-case %5c inside a name', '..%5cb.mp4'],
    ['DEL (%7F)', 'b%7F.mp4'],
    ['ESC (%1B)', 'b%1B.mp4'],
    ['overlong UTF-8 for "." (%C0%AE%C0%AE)', '%C0%AE%C0%AE/b.mp4'],
  ])('refuses %s with -4012', async (_label, rest) => {
    const r = await createRaw(`${s.config.appid}/${s.config.bucket}/${rest}`);
    expect(r.code).toBe(-4012);
  });

  it('refuses dot segments in the appid or bucket position', async () => {
    expect((await createRaw(`..%2F../${s.config.bucket}/b.mp4`)).code).toBe(-4012);
    expect((await createRaw(`${s.config.appid}/%2e%2e/b.mp4`)).code).toBe(-4012);
  });

  it('a double-encoded %252e%252e is a literal name "%2e%2e", stored and served under that name only', async () => {
    const path = `${s.config.appid}/${s.config.bucket}/dbl/%252e%252e`;
    const r = await createRaw(path);
    expect(r.code).toBe(0);
    const stats = Object.keys(s.server.stats.paths);
    expect(stats).toContain('/dbl/%2e%2e');
  });
});
