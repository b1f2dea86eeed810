// The upload baselines, exposed as `__benchUpload` for the Node driver:
// - raw: one fetch POST of the whole file to /__raw (the loopback ceiling: no protocol, no slicing);
// - rawSlices: the file's slices as plain bodies to /__raw, several at a time (no protocol at all);
// - slices: the protocol bare, a create request and then slices with fetch + FormData (same form
//   fields as the product's client), in 1 lane (what the protocol's SDKs do) or several;
// - the same with `keep`: the memory section's control, a leaky client that reads every slice it
//   sends into an ArrayBuffer and keeps it (the memory probes must see it grow with the file).

import type { FetchStats } from '../lib/measure.js';
import { inLanes, sendWithProtocol, type ProtocolTarget } from './bare-protocol.js';
import { fetchStats } from './fetch-stats.js';

export interface SlicesTarget extends ProtocolTarget {
  sha: string;
}

export interface BaselineResult {
  ms: number;
  bytes: number;
  requests: number;
  /** The server's answer to the last request (its `data`), to check that the file was accepted. */
  last: unknown;
  /** Requests in flight, as the product page counts them (bench/pages/fetch-stats.ts). */
  fetch: FetchStats;
}

const input = document.querySelector<HTMLInputElement>('#file')!;

function file(): File {
  const chosen = input.files?.[0];
  if (!chosen) throw new Error('no file chosen');
  return chosen;
}

const api = {
  async raw(url: string): Promise<BaselineResult> {
    const chosen = file();
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', body: chosen });
    const answer = (await response.json()) as { data: { size: number } };
    return { ms: performance.now() - started, bytes: chosen.size, requests: 1, last: answer.data, fetch: { ...fetchStats } };
  },

  /**
   * No protocol at all: the file's slices as plain request bodies to /__raw, `lanes` at a time. What
   * requests of this size cost in this browser on this machine, whatever the client does.
   */
  async rawSlices(url: string, sliceSize: number, lanes: number): Promise<BaselineResult> {
    const chosen = file();
    const started = performance.now();
    let requests = 0;
    let bytes = 0;
    await inLanes(0, chosen.size, sliceSize, lanes, async (offset) => {
      const response = await fetch(url, { method: 'POST', body: chosen.slice(offset, offset + sliceSize) });
      const answer = (await response.json()) as { data: { size: number } };
      bytes += answer.data.size; // (not `bytes += await …`: that reads `bytes` before the await)
      requests++;
    });
    return { ms: performance.now() - started, bytes: chosen.size, requests, last: { size: bytes }, fetch: { ...fetchStats } };
  },

  /**
   * The protocol with nothing around it: the first request, then `lanes` bare loops each taking the
   * next slice (no hashing, no storage, no retries, no UI). One lane is what the protocol's SDKs do;
   * several are the ceiling of any client of this protocol in this browser, the yardstick for the
   * product at the same concurrency.
   */
  slices(target: SlicesTarget, lanes: number, keep = false): Promise<BaselineResult> {
    return slices(target, lanes, keep);
  },
};

/** What the leaky control keeps: every slice's bytes, never released. */
const kept: ArrayBuffer[] = [];

async function slices(target: SlicesTarget, lanes: number, keep: boolean): Promise<BaselineResult> {
  const chosen = file();
  const started = performance.now();
  const { requests, last } = await sendWithProtocol(chosen, target, target.sha, lanes, keep ? async (slice) => void kept.push(await slice.arrayBuffer()) : undefined);
  return { ms: performance.now() - started, bytes: chosen.size, requests, last, fetch: { ...fetchStats } };
}

declare global {
  interface Window {
    __benchUpload: typeof api;
  }
}
window.__benchUpload = api;
