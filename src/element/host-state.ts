// The element's state as host attributes, for page CSS (`vod-uploader[uploading]`,
// `vod-uploader[error]`...): from the queue's status counts, then each attribute set or removed.

import type { StatusCounts } from '../engine/queue.js';

export interface HostStates {
  /** Some file is being hashed, sent or retried. */
  uploading: boolean;
  /** There is at least one file and every one is done (cancelled rows do not count either way). */
  complete: boolean;
  /** Some file stopped on an error. */
  error: boolean;
  /** Files are dragged over the element (or, with `page-drop`, over the page). */
  dragover: boolean;
  /** A dropped or picked folder is being read. */
  reading: boolean;
}

/** From the queue's status counts (kept as statuses change): nothing here walks the list. */
export function hostStates(counts: StatusCounts, dragover: boolean, reading: boolean): HostStates {
  const counted = Object.values(counts).reduce((sum, n) => sum + n, 0) - counts.cancelled;
  return {
    uploading: counts.hashing + counts.uploading + counts.retrying > 0,
    complete: counted > 0 && counts.done === counted,
    error: counts.error > 0,
    dragover,
    reading,
  };
}

export function reflectHostStates(host: HTMLElement, states: HostStates): void {
  for (const [name, on] of Object.entries(states)) host.toggleAttribute(name, on);
}
