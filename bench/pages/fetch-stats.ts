// Requests in flight, as a page sees them: wraps `fetch` and accounts every POST with a body
// (FormData: the protocol's slices and first request; Blob: the raw baselines). Shared by the
// product page and the baseline page, so that "in flight" means the same on every row.

import type { FetchStats } from '../lib/measure.js';

export const fetchStats: FetchStats = { requests: 0, maxInFlight: 0, inFlightMs: 0, busyMs: 0, totalRequestMs: 0 };

{
  const original = globalThis.fetch.bind(globalThis);
  let inFlight = 0;
  let changedAt = performance.now();
  const account = (delta: number): void => {
    const now = performance.now();
    fetchStats.inFlightMs += inFlight * (now - changedAt);
    if (inFlight > 0) fetchStats.busyMs += now - changedAt;
    changedAt = now;
    inFlight += delta;
    fetchStats.maxInFlight = Math.max(fetchStats.maxInFlight, inFlight);
  };
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (!(init?.body instanceof FormData || init?.body instanceof Blob)) return original(input, init);
    const started = performance.now();
    fetchStats.requests++;
    account(+1);
    try {
      return await original(input, init);
    } finally {
      account(-1);
      fetchStats.totalRequestMs += performance.now() - started;
    }
  };
}
