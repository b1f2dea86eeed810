// Builds an UploadQueue over the fakes and records its events, for the engine tests.

import { UploadQueue } from '../../../src/engine/queue.js';
import { SliceBudget } from '../../../src/engine/slice-budget.js';
import type { EngineDeps, QueueOptions } from '../../../src/engine/options.js';
import type { UploadQueueEventMap, UploadSnapshot } from '../../../src/engine/types.js';
import { FakeClock, flush } from './clock.js';
import { FakeProtocol } from './fake-protocol.js';
import { FakeHasher, FakeOnline, FakeSigner, LockRegistry, TestStore } from './fakes.js';

export const TARGET = { appid: '1250000000', bucket: 'videos', dir: 'uploads/2026' };

export interface RecordedEvent {
  type: keyof UploadQueueEventMap;
  detail: UploadQueueEventMap[keyof UploadQueueEventMap];
}

/** Resolves when `predicate` holds (polls between event-loop turns; fails after ~400 turns). */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await predicate()) return;
    await flush(2);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface Harness {
  queue: UploadQueue;
  protocol: FakeProtocol;
  signer: FakeSigner;
  hasher: FakeHasher;
  store: TestStore;
  locks: LockRegistry;
  online: FakeOnline;
  clock: FakeClock;
  events: RecordedEvent[];
  /** Event types in order, optionally only those about one upload, without 'change'. */
  types(id?: string): string[];
  /** Resolves when the upload reaches one of `statuses` (fails the test after ~2 s of real time). */
  until(id: string, ...statuses: UploadSnapshot['status'][]): Promise<UploadSnapshot>;
  /** A second "tab": another queue sharing the server, the store and the locks. */
  secondTab(options?: Partial<QueueOptions>): Harness;
  /** A second <vod-uploader> on the same page: another queue sharing also the slice budget. */
  samePage(options?: Partial<QueueOptions>): Harness;
  sliceBudget: SliceBudget;
}

const ALL_EVENTS: (keyof UploadQueueEventMap)[] = [
  'add', 'start', 'progress', 'pause', 'resume', 'retry', 'success', 'error', 'cancel', 'change', 'warning', 'restorable',
];

export function makeHarness(
  options: Partial<QueueOptions> = {},
  shared: Partial<Pick<Harness, 'protocol' | 'store' | 'locks' | 'clock' | 'hasher' | 'sliceBudget'>> & Pick<EngineDeps, 'random' | 'yieldToPage'> = {},
): Harness {
  const clock = shared.clock ?? new FakeClock();
  const protocol = shared.protocol ?? new FakeProtocol();
  const signer = new FakeSigner();
  const hasher = shared.hasher ?? new FakeHasher();
  const store = shared.store ?? new TestStore(clock.now);
  const locks = shared.locks ?? new LockRegistry();
  const online = new FakeOnline();
  // Each harness is a page of its own, unless it is made by samePage().
  const sliceBudget = shared.sliceBudget ?? new SliceBudget();
  const deps: EngineDeps = {
    protocol, signer, hasher, store, locks: locks.tab(), online,
    now: clock.now, sleep: clock.sleep, random: shared.random ?? (() => 0.5), sliceBudget, yieldToPage: shared.yieldToPage,
  };
  const queue = new UploadQueue(deps, { target: TARGET, ...options });
  const events: RecordedEvent[] = [];
  for (const type of ALL_EVENTS) {
    queue.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
  }
  const h: Harness = {
    queue, protocol, signer, hasher, store, locks, online, clock, events, sliceBudget,
    types(id) {
      return events
        .filter((e) => e.type !== 'change')
        .filter((e) => id === undefined || (e.detail as { upload?: UploadSnapshot }).upload?.id === id)
        .map((e) => e.type);
    },
    async until(id, ...statuses) {
      for (let i = 0; i < 400; i++) {
        const s = queue.get(id);
        if (s && statuses.includes(s.status)) return s;
        await flush(2);
      }
      throw new Error(`upload ${id} never reached ${statuses.join('/')}: it is ${queue.get(id)?.status}`);
    },
    secondTab(more = {}) {
      return makeHarness({ ...options, ...more }, { protocol, store, locks, clock, hasher });
    },
    samePage(more = {}) {
      return makeHarness({ ...options, ...more }, { protocol, store, locks, clock, hasher, sliceBudget });
    },
  };
  return h;
}
