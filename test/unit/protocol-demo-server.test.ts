// The protocol client and the signer over real HTTP against the project's own upload_slice server
// (demo/server): what msw cannot show, that the multipart bodies, encoded paths, int64 fields and
// error codes are understood by a real peer, and that the bytes arrive intact.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProtocolServer, type RunningProtocolServer } from '../../demo/server/protocol-server.js';
import { UploadError } from '../../src/engine/errors.js';
import type { UploadResult, UploadTarget } from '../../src/engine/types.js';
import { createProtocolClient } from '../../src/protocol/client.js';
import { createSigner } from '../../src/protocol/signature.js';
import { targetPath } from '../../src/engine/fingerprint.js';
import { signUploadSignature } from '../../src/signer/index.js';

const SLICE = 786_432; // not a power of two: the client must follow the server's slice size
let server: RunningProtocolServer;
let dataDir: string;
let target: UploadTarget;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vod-protocol-test-'));
  server = await startProtocolServer({ dataDir, sliceSize: SLICE });
  target = { appid: server.handler.config.appid, bucket: server.handler.config.bucket, dir: '' };
});
afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

async function rejection(promise: Promise<unknown>): Promise<UploadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UploadError);
  return error as UploadError;
}

/** Create, then every slice in parallel, with the signer asking the server's signature endpoint. */
async function upload(dir: string, name: string, bytes: Uint8Array): Promise<{ result: UploadResult; slices: number }> {
  const client = createProtocolClient({ endpoint: server.endpoint });
  const signer = createSigner({ source: server.signatureUrl });
  const file = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  const t = { ...target, dir };
  const scope = { appid: t.appid, bucket: t.bucket, path: targetPath(t, name) };
  const created = await client.create({
    target: t,
    name,
    filesize: file.size,
    sha: sha1(bytes),
    signature: await signer.get(scope),
  });
  if (created.kind === 'done') return { result: created.result, slices: 0 };
  const offsets: number[] = [];
  for (let o = created.offset; o < file.size; o += created.sliceSize) offsets.push(o);
  const answers = await Promise.all(
    offsets.map(async (offset) =>
      client.sendSlice({
        target: t,
        name,
        session: created.session,
        offset,
        body: file.slice(offset, offset + created.sliceSize),
        signature: await signer.get(scope),
      }),
    ),
  );
  const done = answers.find((a) => a.kind === 'done');
  if (!done || done.kind !== 'done') throw new Error('no slice answer completed the file');
  return { result: done.result, slices: answers.length };
}

describe('against the demo upload_slice server', () => {
  it('uploads a file in parallel slices under an encoded unicode path, and the bytes arrive intact', async () => {
    const bytes = randomBytes(SLICE * 3 + 12_345);
    const before = server.stats.signatureRequests;
    const { result, slices } = await upload('测试 dir/a#b', "clip ?%&+'!.mp4", bytes);
    expect(slices).toBe(4);
    expect(result.instant).toBe(false);
    expect(result.resourcePath).toBe("/测试 dir/a#b/clip ?%&+'!.mp4");
    // Five gets (create and four slices) of one scope: one request to the signature endpoint.
    expect(server.stats.signatureRequests - before).toBe(1);
    const served = new Uint8Array(await (await fetch(result.accessUrl)).arrayBuffer());
    expect(served.length).toBe(bytes.length);
    expect(sha1(served)).toBe(sha1(bytes));

    // The same file again: the first request answers done, nothing is sent.
    const again = await upload('测试 dir/a#b', "clip ?%&+'!.mp4", bytes);
    expect(again).toMatchObject({ slices: 0, result: { instant: true, accessUrl: result.accessUrl } });
  });

  it('completes a 0-byte file with the first request', async () => {
    const { result, slices } = await upload('', 'empty.mp4', new Uint8Array(0));
    expect(slices).toBe(0);
    expect(result.resourcePath).toBe('/empty.mp4');
  });

  it('another file at a taken path is a fatal -4018', async () => {
    await upload('taken', 'v.mp4', randomBytes(1000));
    const error = await rejection(upload('taken', 'v.mp4', randomBytes(1000)));
    expect(error).toMatchObject({ kind: 'server', code: -4018, action: 'fatal' });
    expect(error.message).toMatch(/different file already exists at this path/);
  });

  it('an expired signature is refused with an action to renew it, and the renewed one works', async () => {
    const { appid, bucket, secretId, secretKey } = server.handler.config;
    const expired = await signUploadSignature({
      appid,
      bucket,
      secretId,
      secretKey,
      now: Date.now() - 7200_000,
      expiresInSeconds: 60,
    });
    const client = createProtocolClient({ endpoint: server.endpoint });
    const bytes = randomBytes(500);
    const req = { target, name: 'renew.mp4', filesize: bytes.length, sha: sha1(bytes) };
    const error = await rejection(client.create({ ...req, signature: expired }));
    expect(error).toMatchObject({ kind: 'server', code: -96, action: 'renew-signature' });

    const signer = createSigner({ source: server.signatureUrl });
    const renewed = await signer.renew({ appid, bucket, path: 'renew.mp4' }, expired);
    await expect(client.create({ ...req, signature: renewed })).resolves.toMatchObject({ kind: 'continue', offset: 0 });
  });

  it('a signature made with the wrong key is refused with an action to renew it', async () => {
    const { appid, bucket, secretId } = server.handler.config;
    const forged = await signUploadSignature({ appid, bucket, secretId, secretKey: 'not-the-key' });
    const client = createProtocolClient({ endpoint: server.endpoint });
    const error = await rejection(
      client.create({ target, name: 'forged.mp4', filesize: 1, sha: 'a'.repeat(40), signature: forged }),
    );
    expect(error).toMatchObject({ kind: 'server', action: 'renew-signature' });
    expect([-97, -70, -81]).toContain(error.code);
  });

  it('a server that is not there is a retryable network error', async () => {
    const client = createProtocolClient({ endpoint: 'http://127.0.0.1:9/files/v1' });
    const error = await rejection(
      client.create({ target, name: 'x.mp4', filesize: 1, sha: 'a'.repeat(40), signature: 'c2ln' }),
    );
    expect(error).toMatchObject({ kind: 'network', action: 'retry' });
  });
});
