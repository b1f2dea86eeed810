// The bench's link emulator (bench/lib/link.ts) over loopback sockets: it must shape the total
// bandwidth of all its connections and add the round trip it is set to, or the link rows lie.

import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLink, type RunningLink } from '../../bench/lib/link.js';

const open: Array<Server | RunningLink> = [];
afterEach(async () => {
  for (const thing of open.splice(0)) await new Promise<void>((resolve) => ('port' in thing ? void thing.close().then(resolve) : thing.close(() => resolve())));
});

/** A server that answers every byte it gets with the same byte (echo), or only counts (sink). */
async function peer(mode: 'echo' | 'sink'): Promise<{ port: number; received: () => number }> {
  let received = 0;
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (mode === 'echo') socket.write(chunk);
    });
    socket.on('error', () => undefined);
  });
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as AddressInfo).port, received: () => received };
}

async function link(targetPort: number, bitsPerSecond: number, rttMs: number): Promise<RunningLink> {
  const running = await startLink({ targetPort, bitsPerSecond, rttMs });
  open.push(running);
  return running;
}

function client(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve(socket));
  });
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('bench link emulator', () => {
  it('adds the round trip: a 1-byte echo takes one RTT (after the handshake)', async () => {
    const echo = await peer('echo');
    const l = await link(echo.port, 100e6, 120);
    const socket = await client(l.port);
    const roundTrip = async (): Promise<number> => {
      const t = performance.now();
      const answer = new Promise((resolve) => socket.once('data', resolve));
      socket.write('x');
      await answer;
      return performance.now() - t;
    };
    const first = await roundTrip(); // includes the emulated handshake: one more RTT
    const second = await roundTrip();
    socket.destroy();
    expect(first).toBeGreaterThanOrEqual(235);
    expect(second).toBeGreaterThanOrEqual(118);
    expect(second).toBeLessThan(400); // generous: a loaded machine fires timers late
  });

  it('shapes the bytes over time to the rate, for all connections together', async () => {
    const sink = await peer('sink');
    const l = await link(sink.port, 16e6, 20); // 2 MB/s
    const sockets = await Promise.all([client(l.port), client(l.port)]);
    const each = 1_000_000;
    const t = performance.now();
    for (const socket of sockets) socket.write(Buffer.alloc(each));
    // Half-way, the link must have carried about half: bytes over time, not a burst at the end.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const atHalf = sink.received();
    const halfSeconds = (performance.now() - t) / 1000;
    await until(() => sink.received() === 2 * each);
    const seconds = (performance.now() - t) / 1000;
    for (const socket of sockets) socket.destroy();
    // 2 MB at 2 MB/s: 1 s (plus handshake and delay, 30 ms). Never faster than the rate (the bucket
    // holds 16 KiB); slower only by what a loaded machine's late timers add.
    expect(seconds).toBeGreaterThan(0.95);
    expect(seconds).toBeLessThan(1.5);
    expect(atHalf).toBeLessThanOrEqual(2e6 * halfSeconds + 16 * 1024);
    expect(atHalf).toBeGreaterThan(0.6 * 2e6 * (halfSeconds - 0.03));
    expect(l.delivered().up).toBe(2 * each);
  });
});
