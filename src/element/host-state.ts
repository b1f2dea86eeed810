// The element's state as host attributes, for page CSS (`vod-uploader[uploading]`,
// `vod-uploader[error]`...): one pass over the snapshots, then each attribute set or removed.

import type { UploadSnapshot } from '../engine/types.js';

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

export function hostStates(uploads: readonly UploadSnapshot[], dragover: boolean, reading: boolean): HostStates {
  let uploading = false;
  let error = false;
  let done = 0;
  let counted = 0;
  for (const u of uploads) {
    if (u.status === 'cancelled') continue;
    counted++;
    if (u.status === 'done') done++;
    else if (u.status === 'error') error = true;
    else if (u.status === 'hashing' || u.status === 'uploading' || u.status === 'retrying') uploading = true;
  }
  return { uploading, complete: counted > 0 && done === counted, error, dragover, reading };
}

export function reflectHostStates(host: HTMLElement, states: HostStates): void {
  for (const [name, on] of Object.entries(states)) host.toggleAttribute(name, on);
}
