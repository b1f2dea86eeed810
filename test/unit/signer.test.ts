// The server-side signer: Tencent's documented test vector, round trips, and every verify outcome.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeSignature } from '../../src/protocol/signature-format.js';
import { signUploadSignature, verifyUploadSignature } from '../../src/signer/index.js';

const vector = {
  secretKey: 'bLcPnl88WU30VY57ipRhSePfPdOfSruK',
  secretId: 'AKIDUfLUEUigQiXqm7CVSspKJnuaiIKtxqAv',
  appid: '200001',
  bucket: 'newbucket',
  t: 1437995644,
  e: 1437995704,
  r: 2081660421,
  sign:
    'vxzLR6vzMNhBMUVzMTWKUB+LMeVhPTIwMDAwMSZrPUFLSURVZkxVRVVpZ1FpWHFtN0NWU3NwS0pudWFpSUt0eHFBdiZlPTE0Mzc5OTU3MDQmdD0xNDM3OTk1NjQ0JnI9MjA4MTY2MDQyMSZmPSZiPW5ld2J1Y2tldA==',
};

const base = { appid: '1000001', bucket: 'videos', secretId: 'AKIDtest', secretKey: 'secret-key-1' };

describe('signUploadSignature', () => {
  it('reproduces the documented test vector byte for byte', async () => {
    const sign = await signUploadSignature({
      appid: vector.appid,
      bucket: vector.bucket,
      secretId: vector.secretId,
      secretKey: vector.secretKey,
      now: vector.t * 1000,
      expires: vector.e,
      random: vector.r,
    });
    expect(sign).toBe(vector.sign);
    const bytes = Buffer.from(sign, 'base64');
    expect(bytes.subarray(0, 20).toString('hex')).toBe('bf1ccb47abf330d84131457331358a501f8b31e5');
  });

  it('agrees with an independent HMAC-SHA1 (node:crypto) and uses the default lifetime', async () => {
    const now = Date.UTC(2026, 0, 1) + 123;
    const sign = await signUploadSignature({ ...base, now, random: () => 42 });
    const decoded = decodeSignature(sign);
    expect(decoded?.fields).toEqual({ a: '1000001', k: 'AKIDtest', e: 1767225600 + 3600, t: 1767225600, r: '42', f: '', b: 'videos' });
    const hmac = createHmac('sha1', base.secretKey).update(decoded?.plain ?? '').digest('hex');
    expect(Buffer.from(decoded?.hmac ?? []).toString('hex')).toBe(hmac);
  });

  it('draws a random r of at most 10 digits and honours expiresInSeconds', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const fields = decodeSignature(await signUploadSignature({ ...base, expiresInSeconds: 60 }))?.fields;
      expect(fields?.r).toMatch(/^\d{1,10}$/);
      expect((fields?.e ?? 0) - (fields?.t ?? 0)).toBe(60);
      seen.add(fields?.r ?? '');
    }
    expect(seen.size).toBeGreaterThan(15);
  });

  it('refuses an expiry more than 3 months ahead, in the past, and bad fields', async () => {
    await expect(signUploadSignature({ ...base, expiresInSeconds: 91 * 24 * 3600 })).rejects.toThrow(/3 months/);
    await expect(signUploadSignature({ ...base, expires: 1000 })).rejects.toThrow(RangeError);
    await expect(signUploadSignature({ ...base, random: 12345678901 })).rejects.toThrow(/10 digits/);
    await expect(signUploadSignature({ ...base, bucket: 'a&b=c' })).rejects.toThrow(TypeError);
    await expect(signUploadSignature({ ...base, secretKey: '' })).rejects.toThrow(TypeError);
  });
});

describe('verifyUploadSignature', () => {
  const check = { secretKey: base.secretKey, appid: base.appid, bucket: base.bucket };

  it('accepts a fresh signature and returns its fields (round trip)', async () => {
    const sign = await signUploadSignature({ ...base, expiresInSeconds: 600 });
    const result = await verifyUploadSignature(sign, check);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.fields).toMatchObject({ a: '1000001', b: 'videos', k: 'AKIDtest', f: '' });
  });

  it('accepts the documented vector at its signing time and calls it expired afterwards', async () => {
    const opts = { secretKey: vector.secretKey, appid: vector.appid, bucket: vector.bucket };
    expect((await verifyUploadSignature(vector.sign, { ...opts, now: vector.t * 1000 })).ok).toBe(true);
    const late = await verifyUploadSignature(vector.sign, { ...opts, now: vector.e * 1000 });
    expect(late).toMatchObject({ ok: false, code: -96 });
  });

  it('-70 for an empty signature', async () => {
    expect(await verifyUploadSignature('', check)).toMatchObject({ ok: false, code: -70 });
    expect(await verifyUploadSignature('   ', check)).toMatchObject({ ok: false, code: -70 });
  });

  it('-97 for garbage, a wrong key, and an altered plain text', async () => {
    expect(await verifyUploadSignature('not a signature!', check)).toMatchObject({ ok: false, code: -97 });
    expect(await verifyUploadSignature('aGVsbG8=', check)).toMatchObject({ ok: false, code: -97 });
    const sign = await signUploadSignature({ ...base, secretKey: 'another-key' });
    expect(await verifyUploadSignature(sign, check)).toMatchObject({ ok: false, code: -97 });
    // Same HMAC, plain text pushed one hour further: the forged expiry must not pass.
    const good = Buffer.from(await signUploadSignature(base), 'base64');
    const plain = good.subarray(20).toString('utf8');
    const e = Number(/e=(\d+)/.exec(plain)?.[1]);
    const forged = Buffer.concat([good.subarray(0, 20), Buffer.from(plain.replace(`e=${e}`, `e=${e + 3600}`))]);
    expect(await verifyUploadSignature(forged.toString('base64'), check)).toMatchObject({ ok: false, code: -97 });
  });

  it('-81 for a signature made for another appid or bucket', async () => {
    const sign = await signUploadSignature({ ...base, bucket: 'other' });
    expect(await verifyUploadSignature(sign, check)).toMatchObject({ ok: false, code: -81 });
    const sign2 = await signUploadSignature({ ...base, appid: '1000002' });
    expect(await verifyUploadSignature(sign2, check)).toMatchObject({ ok: false, code: -81 });
  });

  it('-96 once the expiry has passed', async () => {
    const now = Date.now();
    const sign = await signUploadSignature({ ...base, now: now - 7200_000, expiresInSeconds: 3600 });
    const result = await verifyUploadSignature(sign, check);
    expect(result).toMatchObject({ ok: false, code: -96 });
    if (!result.ok) expect(result.reason).toMatch(/expired/);
  });
});
