// A link emulator for the bench: a TCP proxy between the browser and the protocol server that gives
// all its connections together one bandwidth per direction (a token bucket) and adds half the round
// trip to every chunk in each direction, in order. The machine's kernel has no netem; this stands in
// for an office uplink to a far region (e.g. 40 Mbit/s × 80 ms, 100 Mbit/s × 150 ms).
//
// What it models: the bottleneck's rate (shared by every connection, FIFO), the propagation delay
// both ways, a TCP handshake (a new connection's first bytes leave one round trip after it opened)
// and a per-connection window (bytes sent but not yet "acknowledged", i.e. delivered plus the delay
// back, are capped, so one connection moves at most window / RTT). What it does not: loss, TCP slow
// start and congestion control, a bounded router queue (the queue in the proxy is what the windows
// let in), or an asymmetric link (both directions get the same rate).

import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface LinkOptions {
  /** Bandwidth of each direction, shared by all connections (bits per second). */
  bitsPerSecond: number;
  /** Round trip time added: half of it to each direction. */
  rttMs: number;
  /** The server the proxy forwards to. */
  targetPort: number;
  targetHost?: string;
  /** Bytes one connection may have sent and not yet seen acknowledged (default 4 MiB, Linux's tcp_wmem max). */
  windowBytes?: number;
  /** Token bucket depth: bytes that may leave at once after an idle moment (default 16 KiB). */
  burstBytes?: number;
}

/** Bytes delivered in each direction so far, at a moment (ms since the link started). */
export interface LinkSample {
  t: number;
  up: number;
  down: number;
}

export interface RunningLink {
  port: number;
  /** Bytes per second of each direction. */
  bytesPerSecond: number;
  rttMs: number;
  /** Bytes delivered so far: upstream (to the server) and downstream (to the browser). */
  delivered(): LinkSample;
  close(): Promise<void>;
}

/** One direction of the link: a token bucket every connection draws on, first come first served. */
class Direction {
  /** When the bucket has paid for every byte scheduled so far (ms, performance.now()). */
  #paidUntil = 0;
  delivered = 0;

  constructor(
    readonly bytesPerMs: number,
    readonly oneWayMs: number,
    readonly burstBytes: number,
  ) {}

  /** When a chunk of `length` bytes, ready at `ready`, arrives at the other end. */
  schedule(length: number, ready: number): number {
    // Idle time refills the bucket, up to its depth: at most burstBytes leave without waiting.
    const earliest = ready - this.burstBytes / this.bytesPerMs;
    this.#paidUntil = Math.max(this.#paidUntil, earliest) + length / this.bytesPerMs;
    return Math.max(ready, this.#paidUntil) + this.oneWayMs;
  }
}

/** One connection's bytes in one direction: through the Direction, in order, under a window. */
function pipe(from: Socket, to: Socket, direction: Direction, windowBytes: number, openedAt: number): void {
  const queue: Array<{ chunk: Buffer; at: number }> = [];
  let unacknowledged = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ended = false;

  const deliverDue = (): void => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.at <= now) {
      const { chunk } = queue.shift()!;
      direction.delivered += chunk.length;
      if (!to.destroyed) to.write(chunk);
      // The acknowledgement takes the delay back: only then does the window open again.
      setTimeout(() => {
        unacknowledged -= chunk.length;
        if (unacknowledged < windowBytes && from.isPaused()) from.resume();
      }, direction.oneWayMs);
    }
    if (queue.length > 0) arm();
    else if (ended && !to.destroyed) to.end();
  };
  const arm = (): void => {
    if (timer !== undefined || queue.length === 0) return;
    timer = setTimeout(deliverDue, Math.max(0, queue[0]!.at - performance.now()));
  };

  from.on('data', (chunk: Buffer) => {
    // Before the handshake's round trip is over, nothing can leave.
    const ready = Math.max(performance.now(), openedAt);
    queue.push({ chunk, at: direction.schedule(chunk.length, ready) });
    unacknowledged += chunk.length;
    if (unacknowledged >= windowBytes) from.pause();
    arm();
  });
  from.on('end', () => {
    ended = true;
    if (queue.length === 0 && !to.destroyed) to.end();
  });
}

export async function startLink(options: LinkOptions): Promise<RunningLink> {
  const bytesPerSecond = options.bitsPerSecond / 8;
  const oneWayMs = options.rttMs / 2;
  const burst = options.burstBytes ?? 16 * 1024;
  const up = new Direction(bytesPerSecond / 1000, oneWayMs, burst);
  const down = new Direction(bytesPerSecond / 1000, oneWayMs, burst);
  const windowBytes = options.windowBytes ?? 4 * 1024 * 1024;
  const started = performance.now();
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    const openedAt = performance.now() + options.rttMs;
    const upstream = connect({ port: options.targetPort, host: options.targetHost ?? '127.0.0.1' });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
      // One side gone: the other goes too (a reset on a real link reaches both ends).
      socket.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    pipe(client, upstream, up, windowBytes, openedAt);
    pipe(upstream, client, down, windowBytes, openedAt);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    bytesPerSecond,
    rttMs: options.rttMs,
    delivered: () => ({ t: performance.now() - started, up: up.delivered, down: down.delivered }),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
