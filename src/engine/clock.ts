// The one timer the engine and the store wait on: retry backoff (EngineDeps.sleep) and the
// coalesced session writes. Injected, so Node tests pass fakes and the browser adapter
// (src/timers/worker-timers.ts) can run it where hidden tabs do not throttle it.

import { raceAbort } from './abort-race.js';

/** Calls `fire` once after `ms`; the returned function cancels it (a no-op once fired). */
export type ScheduleTimer = (fire: () => void, ms: number) => () => void;

/** The page's own setTimeout: what runs in Node and wherever no worker may start. */
export const plainTimer: ScheduleTimer = (fire, ms) => {
  const timer = setTimeout(fire, ms);
  return () => clearTimeout(timer);
};

/** A sleep on `schedule` that an abort cancels (its timer too). */
export function sleepOn(schedule: ScheduleTimer): (ms: number, signal?: AbortSignal) => Promise<void> {
  return (ms, signal) => {
    let cancel: (() => void) | undefined;
    return raceAbort(signal, () => new Promise<void>((resolve) => (cancel = schedule(resolve, ms))), {
      onAbort: () => cancel?.(),
    });
  };
}
