// Security of the demo upload_slice server under load and abuse: how many body bytes it reads before
// refusing an oversized request (413), and concurrent slices to one session (the assembled file always
// matches its sha, even when a duplicate with other bytes races the last slice).
//
// Already covered elsewhere: 413 by time (test/server/http.test.ts "body size"); parallel, reverse and
// duplicate slices (test/server/slices.test.ts).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProtocolHandler, type ProtocolHandler } from '../../demo/server/protocol-server.js';
import { bytesToBase64 } from '../../src/protocol/signature-format.js';
import { randomFile, sha1, tempDir, TestServer } from '../server/helpers.js';

const SLICE = 64 * 1024;
let s: TestServer;
beforeAll(async () => {
  s = await TestServer.start({ sliceSize: SLICE });
});
afterAll(() => s.close());

describe('oversized bodies are refused early', () => {
  let handler: ProtocolHandler;
  let server: Server;
  let url = '';
  const bytesRead: number[] = [];
  let dataDir = '';

  beforeAll(async () => {
    dataDir = tempDir();
    handler = createProtocolHandler({ dataDir, sliceSize: SLICE });
    // The socket's bytesRead when the answer has gone out: what the server took off the wire to decide.
    server = createServer((req, res) => {
      const socket = req.socket;
      res.once('finish', () => bytesRead.push(socket.bytesRead));
      handler.handle(req, res);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  /**
   * Sends headers, then writes `total` body bytes in 64 KiB pieces as fast as the socket takes them
   * (with `chunked`, each piece framed as one chunk "10000\r\n<64 KiB>\r\n"), and stops at the first
   * answer byte or when the connection closes. Returns the status line and the body bytes written.
   */
  function pushBody(headers: string, total: number, chunked = false): Promise<{ statusLine: string; written: number }> {
    const { port } = new URL(url);
    return new Promise((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      let written = 0;
      let answer = '';
      let stopped = false;
      const data = Buffer.alloc(64 * 1024, 7);
      const piece = chunked ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]) : data;
      const finish = (): void => {
        if (stopped) return;
        stopped = true;
        socket.destroy();
        resolve({ statusLine: answer.split('\r\n')[0] ?? '', written });
      };
      const pump = (): void => {
        while (!stopped && written < total) {
          written += data.length;
          if (!socket.write(piece)) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      socket.on('data', (d: Buffer) => {
        answer += d.toString('latin1');
        if (answer.includes('\r\n\r\n')) setTimeout(finish, 20);
      });
      socket.on('error', finish);
      socket.on('close', finish);
      socket.on('connect', () => {
        socket.write(headers);
        pump();
      });
    });
  }

  const limit = SLICE + 64 * 1024;

  it('with a Content-Length over the limit: 413 after reading at most a few chunks of a 64 MiB body', async () => {
    const auth = bytesToBase64(new Uint8Array(40)); // never checked: the length alone decides
    const total = 64 * 1024 * 1024;
    const head = `POST /files/v1/${handler.config.appid}/${handler.config.bucket}/big.mp4 HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=z\r\nAuthorization: ${auth}\r\nContent-Length: ${total}\r\n\r\n`;
    const before = bytesRead.length;
    const r = await pushBody(head, total);
    expect(r.statusLine).toMatch(/^HTTP\/1\.1 413/);
    await expect.poll(() => bytesRead.length).toBeGreaterThan(before);
    const read = bytesRead.at(-1)!;
    // Measured here: a few hundred KiB at most (socket buffers), against 64 MiB offered.
    expect(read).toBeLessThan(limit);
    expect(r.written).toBeLessThan(total);
  });

  it('with a chunked body: 413 once it passes slice_size + 64 KiB, having read little more than that', async () => {
    const total = 64 * 1024 * 1024;
    const head = `POST /files/v1/${handler.config.appid}/${handler.config.bucket}/big2.mp4 HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=z\r\nAuthorization: x\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const before = bytesRead.length;
    const r = await pushBody(head, total, true);
    expect(r.statusLine).toMatch(/^HTTP\/1\.1 413/);
    await expect.poll(() => bytesRead.length).toBeGreaterThan(before);
    const read = bytesRead.at(-1)!;
    expect(read).toBeGreaterThan(limit);
    expect(read).toBeLessThan(limit + 1024 * 1024);
    expect(r.written).toBeLessThan(total);
  });

  it('a refused path or signature reads at most the limit, never an endless body', async () => {
    const total = 32 * 1024 * 1024;
    const head = `POST /files/v1/${handler.config.appid}/${handler.config.bucket}/..%2Fx.mp4 HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=z\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const before = bytesRead.length;
    const r = await pushBody(head, total, true);
    // Either the path error after draining up to the limit, or the 413 when the limit is passed.
    expect(r.statusLine).toMatch(/^HTTP\/1\.1 (200|413)/);
    await expect.poll(() => bytesRead.length).toBeGreaterThan(before);
    expect(bytesRead.at(-1)!).toBeLessThan(limit + 1024 * 1024);
  });
});

describe('concurrent slices to one session', () => {
  async function download(url: unknown): Promise<Buffer> {
    return Buffer.from(await (await fetch(String(url))).arrayBuffer());
  }

  it('every slice sent three times, all at once and shuffled: one file, right bytes, counted once', async () => {
    const file = randomFile(SLICE * 24 + 1234);
    const path = 'conc/many.mp4';
    const r = await s.create(path, { filesize: file.length, sha: sha1(file) });
    const session = String(r.data.session);
    const offsets: number[] = [];
    for (let o = 0; o < file.length; o += SLICE) offsets.push(o, o, o);
    offsets.sort(() => Math.random() - 0.5);
    const answers = await Promise.all(offsets.map((o) => s.slice(path, session, o, file.subarray(o, o + SLICE))));
    expect(answers.filter((a) => a.code !== 0)).toEqual([]);
    const withUrl = answers.filter((a) => a.data.access_url);
    expect(withUrl.length).toBeGreaterThanOrEqual(1);
    expect(new Set(withUrl.map((a) => a.data.access_url)).size).toBe(1);
    expect(sha1(await download(withUrl[0]!.data.access_url))).toBe(sha1(file));
    expect(s.server.stats.paths[`/${path}`]).toMatchObject({ bytesReceived: 3 * file.length, bytesDuplicate: 2 * file.length, completed: 1 });
  });

  it('a duplicate with other bytes, stalled mid-body while the real slice completes, cannot change the stored file', async () => {
    // Slices over the server's 512 KiB write batch, so the bogus copy writes part of itself early.
    const BIG = 1024 * 1024;
    const big = await TestServer.start({ sliceSize: BIG });
    try {
      const file = randomFile(BIG * 4);
      const path = 'conc/race.mp4';
      const r = await big.create(path, { filesize: file.length, sha: sha1(file) });
      const session = String(r.data.session);
      // Every slice but the first, so that slice 0 completes the file.
      for (let o = BIG; o < file.length; o += BIG) expect((await big.slice(path, session, o, file.subarray(o, o + BIG))).code).toBe(0);

      const boundary = 'race-boundary';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="op"\r\n\r\nupload_slice\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="session"\r\n\r\n${session}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="offset"\r\n\r\n0\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="filecontent"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const bogus = Buffer.alloc(BIG, 0xee);
      const split = 600 * 1024;
      const { hostname, port } = new URL(big.server.url);
      const signature = await big.sign();
      let sendRest!: () => void;
      const restGo = new Promise<void>((resolve) => (sendRest = resolve));
      const bogusAnswer = new Promise<{ code: number; data?: Record<string, unknown> }>((resolve, reject) => {
        const req = httpRequest(
          {
            hostname,
            port,
            method: 'POST',
            path: new URL(big.fileUrl(path)).pathname,
            headers: {
              'Content-Type': `multipart/form-data; boundary=${boundary}`,
              Authorization: signature,
              'Content-Length': head.length + bogus.length + tail.length,
            },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve(JSON.parse(text) as { code: number }));
          },
        );
        req.on('error', reject);
        req.write(head);
        req.write(bogus.subarray(0, split));
        void restGo.then(() => req.end(Buffer.concat([bogus.subarray(split), tail])));
      });
      const requests = (): number => big.server.stats.paths[`/${path}`]?.requests ?? 0;
      // The bogus request is in (counted), and (without a guard) its first batch is on disk.
      await expect.poll(requests).toBe(5);
      const part = join(big.dataDir, 'sessions', `${session}.part`);
      await expect.poll(() => existsSync(part) && readFileSync(part).subarray(0, 4).equals(Buffer.alloc(4, 0xee)), { timeout: 3000 }).toBe(true).catch(() => undefined);
      const real = big.slice(path, session, 0, file.subarray(0, BIG));
      await expect.poll(requests).toBe(6);
      // Give the real slice every chance to finish first (the unguarded server completes it now).
      await Promise.race([real, new Promise((done) => setTimeout(done, 1000))]);
      sendRest();
      const [realAnswer, bogusResult] = await Promise.all([real, bogusAnswer]);

      // Whatever was answered, a finished file's bytes must match the sha it was finished with.
      const finished = [realAnswer, bogusResult].find((a) => a.code === 0 && a.data?.access_url);
      if (finished) {
        expect(sha1(await download(finished.data!.access_url))).toBe(sha1(file));
      } else {
        // The server caught the mix (-4016) and started the session over: a clean upload then works.
        expect([realAnswer.code, bogusResult.code]).toContain(-4016);
        const again = await big.upload(path, file);
        expect(again.code).toBe(0);
        expect(sha1(await download(again.data.access_url))).toBe(sha1(file));
      }
      for (const name of readdirSync(join(big.dataDir, 'blobs'))) {
        expect(sha1(readFileSync(join(big.dataDir, 'blobs', name)))).toBe(name);
      }
    } finally {
      await big.close();
    }
  });
});
