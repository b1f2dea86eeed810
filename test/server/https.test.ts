// HTTPS mode: a self-signed certificate made at start, HTTP/2 and HTTP/1.1 on one port. A whole
// upload over HTTP/2 (create + slices), the access_url naming https and the port, and HTTP/1.1 still
// answered, each counted by version.

import { connect, type ClientHttp2Session } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobOf, randomFile, sha1, TestServer } from './helpers.js';

let s: TestServer;
let h2: ClientHttp2Session;

beforeAll(async () => {
  s = await TestServer.start({ https: true, sliceSize: 64 * 1024 });
  h2 = connect(s.server.url, { ca: s.server.certificate });
});
afterAll(async () => {
  h2.close();
  await s.close();
});

/** One HTTP/2 request; a FormData body is serialised as a browser would (multipart with a boundary). */
async function h2Request(path: string, init: { method?: string; form?: FormData; headers?: Record<string, string> } = {}): Promise<{ status: number; json: any }> {
  const encoded = init.form ? new Response(init.form) : undefined;
  const body = encoded ? Buffer.from(await encoded.arrayBuffer()) : undefined;
  const headers = { ':method': init.method ?? 'GET', ':path': path, ...init.headers, ...(encoded ? { 'content-type': encoded.headers.get('content-type')! } : {}) };
  return new Promise((resolve, reject) => {
    const stream = h2.request(headers);
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on('response', (h) => (status = Number(h[':status'])));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve({ status, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    stream.on('error', reject);
    stream.end(body);
  });
}

describe('HTTPS mode', () => {
  it('serves https with a certificate for 127.0.0.1', () => {
    expect(s.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(s.server.certificate).toContain('BEGIN CERTIFICATE');
  });

  it('takes a whole upload over HTTP/2 and names https in access_url', async () => {
    const file = randomFile(150_000);
    const path = `/files/v1/${s.config.appid}/${s.config.bucket}/tls/a.mp4`;
    const auth = { authorization: await s.sign() };
    const create = new FormData();
    create.append('op', 'upload_slice');
    create.append('filesize', String(file.length));
    create.append('sha', sha1(file));
    const created = await h2Request(path, { method: 'POST', form: create, headers: auth });
    expect(created.json.code).toBe(0);
    const { session, slice_size: sliceSize } = created.json.data as { session: string; slice_size: number };
    let last: any;
    for (let offset = 0; offset < file.length; offset += sliceSize) {
      const form = new FormData();
      form.append('op', 'upload_slice');
      form.append('session', session);
      form.append('offset', String(offset));
      form.append('filecontent', blobOf(file.subarray(offset, offset + sliceSize)), 'blob');
      last = await h2Request(path, { method: 'POST', form, headers: auth });
      expect(last.json.code).toBe(0);
    }
    expect(last.json.data.access_url).toBe(`${s.server.url}/files/v1/${s.config.appid}/${s.config.bucket}/tls/a.mp4`);
    expect(s.server.stats.completedFiles.some((f) => f.sha === sha1(file))).toBe(true);
    expect(s.server.httpVersions['2.0']).toBeGreaterThanOrEqual(4);
  });

  it('answers HTTP/1.1 on the same port', async () => {
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpsRequest(`${s.server.url}/api/config`, { ca: s.server.certificate }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ appid: s.config.appid });
    expect(s.server.httpVersions['1.1']).toBeGreaterThanOrEqual(1);
  });
});
