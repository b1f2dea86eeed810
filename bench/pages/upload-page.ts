// The upload baselines, exposed as `__benchUpload` for the Node driver:
// - raw: one fetch POST of the whole file to /__raw (the loopback ceiling: no protocol, no slicing);
// - rawSlices: the file's slices as plain bodies to /__raw, several at a time (no protocol at all);
// - slices: the protocol bare, a create request and then slices with fetch + FormData (same form
//   fields as the product's client), in 1 lane (what the protocol's SDKs do) or several;
// - the same with `keep`: the memory section's control, a leaky client that reads every slice it
//   sends into an ArrayBuffer and keeps it (the memory probes must see it grow with the file).

import type { FetchStats } from '../lib/measure.js';
import { fetchStats } from './fetch-stats.js';

export interface SlicesTarget {
  endpoint: string;
  signatureUrl: string;
  appid: string;
  bucket: string;
  dir: string;
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

interface Answer {
  code: number;
  message: string;
  data: { session?: string; offset?: number; slice_size?: number; access_url?: string };
}

async function post(url: string, form: FormData, signature: string): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', body: form, headers: { Authorization: signature } });
  const answer = (await response.json()) as Answer;
  if (answer.code !== 0) throw new Error(`server said ${answer.code} ${answer.message}`);
  return answer;
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
  const path = [target.dir, chosen.name].filter(Boolean).join('/');
  const fileUrl = `${target.endpoint}/${target.appid}/${target.bucket}/${path.split('/').map(encodeURIComponent).join('/')}`;
  const started = performance.now();
  const query = new URLSearchParams({ appid: target.appid, bucket: target.bucket, path });
  const signature = (await (await fetch(`${target.signatureUrl}?${query}`)).text()).trim();
  const create = new FormData();
  create.append('op', 'upload_slice');
  create.append('filesize', String(chosen.size));
  create.append('sha', target.sha);
  let answer = await post(fileUrl, create, signature);
  let last: unknown = answer.data;
  let requests = 1;
  const { session, slice_size: sliceSize } = answer.data;
  if (answer.data.access_url === undefined) {
    if (!session || !sliceSize) throw new Error('the create answer has no session or slice_size');
    await inLanes(answer.data.offset ?? 0, chosen.size, sliceSize, lanes, async (offset) => {
      const form = new FormData();
      form.append('op', 'upload_slice');
      const slice = chosen.slice(offset, offset + sliceSize);
      if (keep) kept.push(await slice.arrayBuffer());
      form.append('filecontent', slice, chosen.name);
      form.append('session', session);
      form.append('offset', String(offset));
      answer = await post(fileUrl, form, signature);
      requests++;
      if (answer.data.access_url !== undefined) last = answer.data;
    });
  }
  return { ms: performance.now() - started, bytes: chosen.size, requests, last, fetch: { ...fetchStats } };
}

/** Calls `send` for every slice offset from `start` to `end`, `lanes` at a time, in order of offset. */
async function inLanes(start: number, end: number, sliceSize: number, lanes: number, send: (offset: number) => Promise<void>): Promise<void> {
  let next = start;
  const lane = async (): Promise<void> => {
    while (next < end) {
      const offset = next;
      next += sliceSize;
      await send(offset);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

declare global {
  interface Window {
    __benchUpload: typeof api;
  }
}
window.__benchUpload = api;
