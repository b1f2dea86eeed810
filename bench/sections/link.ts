// Section: uploads over an emulated real-world link (bench/lib/link.ts between the browser and the
// server): one raw fetch of the file, sequential slices (the SDKs' way), the product at its
// default concurrency and the bare protocol client with the lanes the product used, each as a
// fraction of the link's capacity, with the bytes the link carried upstream over time.

import { DEFAULT_CONCURRENCY } from '../../src/engine/options.js';
import type { BrowserHarness } from '../lib/browser.js';
import { startLink, type LinkSample, type RunningLink } from '../lib/link.js';
import { withServer } from '../lib/server.js';
import { runBaseline } from './baseline-run.js';
import { runProductUpload } from './product-run.js';

export interface LinkSpec {
  name: string;
  bitsPerSecond: number;
  rttMs: number;
}

/** An office uplink to a nearby region, and a faster one to a far region. */
export const LINKS: LinkSpec[] = [
  { name: '40 Mbit/s × 80 ms', bitsPerSecond: 40e6, rttMs: 80 },
  { name: '100 Mbit/s × 150 ms', bitsPerSecond: 100e6, rttMs: 150 },
];

export type LinkMethod = 'raw' | 'sequential' | 'product' | 'bare';

export interface LinkRun {
  method: LinkMethod;
  /** The upload alone (product: hash excluded; the baselines: from their first request). */
  ms: number;
  /** File bytes per second over the link's bytes per second. */
  fractionOfCapacity: number;
  /**
   * The same while the file's bytes moved (the timeline: first slice bytes → the whole file across),
   * and the time before and after that (`ms` minus it, ± one sample): round trips no rate shortens.
   */
  movingFraction: number;
  fixedMs: number;
  /**
   * From the sample where the whole file had crossed the link to the end of the run (± one 50 ms
   * sample): the last answer's round trip and the server's sha check, plus the driver noticing.
   */
  afterLastByteMs: number;
  /** Lanes (baselines): 1, or for `bare` the product's maximum in flight. */
  lanes: number;
  /** Product: hash done → the first slice acknowledged (polled every 20 ms). */
  firstAckMs?: number;
  inFlight: { mean: number; max: number };
  /** Upstream bytes the link delivered, ~every 100 ms, from the first slice's bytes on. */
  timeline: LinkSample[];
  accepted: boolean;
}

export interface LinkResult extends LinkSpec {
  runs: Partial<Record<LinkMethod, LinkRun>>;
}

export interface LinkSectionResult {
  fileBytes: number;
  /** http or https (the proxy carries TLS as it is). */
  scheme: string;
  links: LinkResult[];
  shaOk: boolean;
}

const SAMPLE_MS = 50;
/** Leading samples below this are the signature and first requests, before any slice moves. */
const TIMELINE_START_BYTES = 64 * 1024;

/** Samples the link's counters while `work` runs. */
async function recording<T>(link: RunningLink, work: () => Promise<T>): Promise<{ value: T; timeline: LinkSample[] }> {
  const samples: LinkSample[] = [];
  const timer = setInterval(() => samples.push(link.delivered()), SAMPLE_MS);
  try {
    const value = await work();
    samples.push(link.delivered());
    const first = samples.findIndex((s) => s.up >= TIMELINE_START_BYTES);
    const kept = first < 0 ? [] : samples.slice(Math.max(0, first - 1));
    const t0 = kept[0]?.t ?? 0;
    return { value, timeline: kept.map((s) => ({ ...s, t: s.t - t0 })) };
  } finally {
    clearInterval(timer);
  }
}

export async function runLinkSection(
  harness: BrowserHarness,
  file: { path: string; size: number; sha: string },
  options: { discard: boolean; sliceSize?: number; https?: boolean; quick: boolean },
  log: (line: string) => void,
): Promise<LinkSectionResult> {
  const links: LinkResult[] = [];
  let shaOk = true;
  // The smoke run checks the path on the far link only (the one with the 2× target).
  for (const spec of options.quick ? LINKS.slice(-1) : LINKS) {
    const result: LinkResult = { ...spec, runs: {} };
    for (const method of ['raw', 'sequential', 'product', 'bare'] as const) {
      // The bare client (no hash, storage, retries or UI) with the lanes the product really used: what
      // any client of this protocol gets on this link with that many requests in flight.
      const lanes = method === 'bare' ? Math.max(1, result.runs.product?.inFlight.max ?? DEFAULT_CONCURRENCY) : 1;
      const run = await withServer({ sliceSize: options.sliceSize, discard: options.discard, https: options.https }, async (server) => {
        const link = await startLink({ targetPort: server.server.port, bitsPerSecond: spec.bitsPerSecond, rttMs: spec.rttMs });
        const origin = `${new URL(server.server.url).protocol}//127.0.0.1:${link.port}`;
        try {
          const { value, timeline } = await recording(link, async () => {
            if (method === 'product') {
              const p = await runProductUpload(harness, server, file, { concurrency: DEFAULT_CONCURRENCY, heap: false, origin });
              return { ms: p.uploadMs, firstAckMs: p.firstAckMs, inFlight: { mean: p.requests.meanInFlight, max: p.requests.maxInFlight }, accepted: p.shaOk };
            }
            const b = await runBaseline(harness, server, file, method === 'raw' ? 'raw' : 'slices', lanes, { origin });
            return { ms: b.ms, inFlight: { mean: b.requestSummary.meanInFlight, max: b.requestSummary.maxInFlight }, accepted: b.accepted };
          });
          const fraction = (ms: number): number => file.size / (ms / 1000) / link.bytesPerSecond;
          // From the first slice bytes to the sample where the whole file had crossed the link.
          const movingMs = timeline.find((sample) => sample.up >= file.size)?.t ?? timeline.at(-1)?.t ?? value.ms;
          const afterLastByteMs = Math.max(0, (timeline.at(-1)?.t ?? movingMs) - movingMs);
          return { method, ...value, lanes, fractionOfCapacity: fraction(value.ms), movingFraction: fraction(movingMs), fixedMs: Math.max(0, value.ms - movingMs), afterLastByteMs, timeline };
        } finally {
          await link.close();
        }
      });
      if (!run.accepted) {
        shaOk = false;
        log(`  ! ${spec.name} ${method}: the upload was not accepted`);
      }
      result.runs[method] = run;
      log(`  ${spec.name} ${method}${method === 'bare' ? ` ${lanes} lanes` : ''}: ${(run.fractionOfCapacity * 100).toFixed(0)} % of capacity (${(run.ms / 1000).toFixed(1)} s, ${run.inFlight.mean.toFixed(1)} / ${run.inFlight.max} in flight; ${(run.movingFraction * 100).toFixed(0)} % while bytes moved, ${run.fixedMs.toFixed(0)} ms before/after, ${run.afterLastByteMs.toFixed(0)} after the last byte${run.firstAckMs !== undefined ? `; first slice acknowledged ${run.firstAckMs.toFixed(0)} ms after the hash` : ''})`);
    }
    links.push(result);
  }
  return { fileBytes: file.size, scheme: options.https ? 'https' : 'http', links, shaOk };
}
