// The many-files bare client, exposed as `__benchManyBare` for the Node driver: the chosen files, N
// at a time, each hashed with crypto.subtle (whole file in memory: fine for the bench's sizes) and
// sent with the bare protocol (bare-protocol.ts), one slice at a time per file. No UI, no storage,
// no retries: the ceiling of "N files in parallel" in this browser.

import { sendWithProtocol, type ProtocolTarget } from './bare-protocol.js';
import { fetchStats } from './fetch-stats.js';
import type { FetchStats } from '../lib/measure.js';

export interface ManyBareResult {
  ms: number;
  /** performance.now() when the run began (after the pick). */
  startedAt: number;
  files: number;
  requests: number;
  fetch: FetchStats;
}

const input = document.querySelector<HTMLInputElement>('#files')!;

async function sha1Hex(file: File): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', await file.arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const api = {
  async run(target: ProtocolTarget, parallel: number): Promise<ManyBareResult> {
    const files = Array.from(input.files ?? []);
    const started = performance.now();
    let next = 0;
    let requests = 0;
    const lane = async (): Promise<void> => {
      while (next < files.length) {
        const file = files[next++]!;
        const sent = await sendWithProtocol(file, target, await sha1Hex(file), 1);
        requests += sent.requests;
      }
    };
    await Promise.all(Array.from({ length: parallel }, lane));
    return { ms: performance.now() - started, startedAt: started, files: files.length, requests, fetch: { ...fetchStats } };
  },
};

declare global {
  interface Window {
    __benchManyBare: typeof api;
  }
}
window.__benchManyBare = api;
