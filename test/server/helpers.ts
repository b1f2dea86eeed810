// Test helpers: a protocol server on a temp data dir, and a tiny client speaking upload_slice over
// real HTTP (fetch + FormData + Blob), so the tests see what a browser would.

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { signUploadSignature } from '../../src/signer/index.js';
import { startProtocolServer, type RunningProtocolServer, type StartOptions } from '../../demo/server/protocol-server.js';

export interface ProtocolAnswer {
  status: number;
  code: number;
  message: string;
  data: Record<string, unknown>;
}

export function sha1(data: Uint8Array): string {
  return createHash('sha1').update(data).digest('hex');
}

export function randomFile(size: number): Buffer {
  return randomBytes(size);
}

/** A Blob of some bytes (copies them: later changes to the buffer do not show). */
export function blobOf(bytes: Uint8Array): Blob {
  return new Blob([bytes as Uint8Array<ArrayBuffer>]);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vod-server-test-'));
}

export class TestServer {
  constructor(
    readonly server: RunningProtocolServer,
    readonly dataDir: string,
    readonly options: StartOptions,
  ) {}

  static async start(options: Partial<StartOptions> = {}): Promise<TestServer> {
    const dataDir = options.dataDir ?? tempDir();
    const full = { sliceSize: 786432, ...options, dataDir };
    return new TestServer(await startProtocolServer(full), dataDir, full);
  }

  get config() {
    return this.server.handler.config;
  }

  /** A valid signature from the signer itself (not from /api/signature), with overrides. */
  sign(overrides: { appid?: string; bucket?: string; secretKey?: string; now?: number; expiresInSeconds?: number } = {}): Promise<string> {
    return signUploadSignature({
      appid: this.config.appid,
      bucket: this.config.bucket,
      secretId: this.config.secretId,
      secretKey: this.config.secretKey,
      ...overrides,
    });
  }

  fileUrl(path: string, appid = this.config.appid, bucket = this.config.bucket): string {
    return `${this.server.endpoint}/${appid}/${bucket}/${path}`;
  }

  async post(url: string, form: FormData, signature?: string): Promise<ProtocolAnswer> {
    const headers: Record<string, string> = {};
    if (signature !== undefined) headers.Authorization = signature;
    const res = await fetch(url, { method: 'POST', body: form, headers });
    const json = (await res.json()) as { code: number; message: string; data: Record<string, unknown> };
    return { status: res.status, ...json };
  }

  async create(
    path: string,
    fields: { filesize: number; sha: string; session?: string; extra?: Record<string, string> },
    signature?: string,
  ): Promise<ProtocolAnswer> {
    const form = new FormData();
    form.append('op', 'upload_slice');
    form.append('filesize', String(fields.filesize));
    form.append('sha', fields.sha);
    if (fields.session) form.append('session', fields.session);
    for (const [k, v] of Object.entries(fields.extra ?? {})) form.append(k, v);
    return this.post(this.fileUrl(path), form, signature ?? (await this.sign()));
  }

  async slice(path: string, session: string, offset: number, bytes: Uint8Array, signature?: string): Promise<ProtocolAnswer> {
    const form = new FormData();
    form.append('op', 'upload_slice');
    form.append('session', session);
    form.append('offset', String(offset));
    form.append('filecontent', blobOf(bytes), 'blob');
    return this.post(this.fileUrl(path), form, signature ?? (await this.sign()));
  }

  /** Create + every slice (in the order given, `parallel` at a time); returns the last answer. */
  async upload(path: string, file: Buffer, opts: { parallel?: number; order?: number[] } = {}): Promise<ProtocolAnswer> {
    const created = await this.create(path, { filesize: file.length, sha: sha1(file) });
    if (created.code !== 0 || created.data.access_url) return created;
    const session = String(created.data.session);
    const sliceSize = Number(created.data.slice_size);
    const offsets: number[] = [];
    for (let o = Number(created.data.offset); o < file.length; o += sliceSize) offsets.push(o);
    const order = opts.order ? opts.order.map((i) => offsets[i] as number) : offsets;
    const answers: ProtocolAnswer[] = [];
    const queue = [...order];
    const worker = async (): Promise<void> => {
      for (let o = queue.shift(); o !== undefined; o = queue.shift()) {
        answers.push(await this.slice(path, session, o, file.subarray(o, o + sliceSize)));
      }
    };
    await Promise.all(Array.from({ length: opts.parallel ?? 1 }, worker));
    return answers.find((a) => a.data.access_url !== undefined || a.code !== 0) ?? (answers[answers.length - 1] as ProtocolAnswer);
  }

  async close(removeData = true): Promise<void> {
    await this.server.close();
    if (removeData) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A request with the path sent exactly as written (fetch would normalise `..` and `\`). */
export function rawRequest(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string | number>; body?: Buffer | string; bodyChunks?: Array<Buffer | string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (init.bodyChunks) for (const c of init.bodyChunks) req.write(c);
    req.end(init.body);
  });
}
