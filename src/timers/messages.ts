// Messages between worker-timers.ts (the page) and timer.worker.ts: the page arms and cancels timers
// by id, the worker says which one fired.

export type TimerRequest = { type: 'set'; id: number; ms: number } | { type: 'clear'; id: number };

export interface TimerFired {
  id: number;
}
