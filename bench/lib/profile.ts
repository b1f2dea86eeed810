// CPU profiles of the page's main thread (CDP Profiler), to find what a missed target spends time
// on: `--profile` saves bench/out/<label>.cpuprofile (open it in Chrome DevTools) and logs the top
// functions by self time.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from '@playwright/test';
import { BENCH_DIR } from './files.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Functions by self time, longest first (idle and program excluded). */
  top: Array<{ name: string; selfMs: number }>;
}

export class MainThreadProfiler {
  private constructor(private readonly cdp: CDPSession) {}

  static async start(page: Page): Promise<MainThreadProfiler> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    return new MainThreadProfiler(cdp);
  }

  async stop(label: string): Promise<ProfileSummary> {
    const { profile } = (await this.cdp.send('Profiler.stop')) as unknown as { profile: Profile };
    await this.cdp.detach().catch(() => undefined);
    const dir = join(BENCH_DIR, 'out');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${label}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return { file, ...summarize(profile) };
  }
}

function summarize(profile: Profile): Omit<ProfileSummary, 'file'> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^https?:\/\/[^/]+/, '').split('?')[0]}:${lineNumber + 1}`;
    // A sample's time is the gap to the next one.
    self.set(name, (self.get(name) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  const top = [...self.entries()]
    .filter(([name]) => !/^\((idle|program)\)/.test(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([name, selfMs]) => ({ name, selfMs: Math.round(selfMs) }));
  return { totalMs: Math.round((profile.endTime - profile.startTime) / 1000), top };
}
