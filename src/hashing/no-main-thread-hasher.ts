// Stands in for main-thread-hasher.ts in the self-contained bundle only (scripts/build.mjs aliases it):
// every browser that loads a module script also has Web Workers, so the bundle does not carry a
// second copy of hash-wasm (~6 KB gzip) for a fallback no such browser takes. The npm build keeps
// the real fallback.

import type { Hasher } from '../engine/types.js';
import { ErrorAction, ErrorKind, UploadError } from '../engine/errors.js';

function unavailable(): Promise<never> {
  return Promise.reject(
    new UploadError({
      kind: ErrorKind.File,
      code: 'hash-failed',
      message: 'Hashing needs Web Workers, which this page cannot start; the npm build has a main-thread fallback.',
      action: ErrorAction.Fatal,
    }),
  );
}

export class MainThreadHasher implements Hasher {
  sha1(): Promise<string> {
    return unavailable();
  }
  sample(): Promise<string> {
    return unavailable();
  }
  sliceSha1(): Promise<string> {
    return unavailable();
  }
}
