// The fault-injection suite's engine page: the UploadQueue with the real browser adapters (worker
// hasher, fetch client, URL signer, IndexedDB, Web Locks, navigator.onLine), without the element.
// For what the element does not expose: a 0-byte file (the element refuses empty files) and a short
// request timeout (`?timeoutMs=`: the protocol client's option). Query: endpoint, signatureUrl,
// appid, bucket, dir, concurrency, timeoutMs. Files chosen in #files are added at once.

import { UploadQueue } from '../../../src/engine/queue.js';
import type { UploadQueueEventMap, UploadSnapshot } from '../../../src/engine/types.js';
import { createHasher } from '../../../src/hashing/hasher.js';
import { createProtocolClient } from '../../../src/protocol/client.js';
import { createSigner } from '../../../src/protocol/signature.js';
import { IdbSessionStore } from '../../../src/store/idb-store.js';
import { browserOnlineSource } from '../../../src/store/online.js';
import { WebLocks } from '../../../src/store/web-locks.js';

interface EngineEvent {
  type: string;
  name?: string;
  status?: string;
  kind?: string;
  code?: string;
  message?: string;
  at: number;
}

declare global {
  interface Window {
    faultEngine: { uploads(): readonly UploadSnapshot[]; events: EngineEvent[] };
  }
}

const params = new URLSearchParams(location.search);
const timeoutMs = params.has('timeoutMs') ? Number(params.get('timeoutMs')) : undefined;
const queue = new UploadQueue(
  {
    // A short timeout is the floor of every slice's; the rate makes the size-based part negligible.
    protocol: createProtocolClient({
      endpoint: params.get('endpoint') ?? '',
      timeoutMs,
      minBytesPerSecond: timeoutMs === undefined ? undefined : 1024 * 1024 * 1024,
    }),
    signer: createSigner({ source: params.get('signatureUrl') ?? '' }),
    hasher: createHasher(),
    store: new IdbSessionStore(),
    locks: new WebLocks(),
    online: browserOnlineSource(),
  },
  {
    target: { appid: params.get('appid') ?? '', bucket: params.get('bucket') ?? '', dir: params.get('dir') ?? '' },
    concurrency: Number(params.get('concurrency') ?? 3),
  },
);

const events: EngineEvent[] = [];
const types: Array<keyof UploadQueueEventMap> = ['add', 'start', 'pause', 'resume', 'retry', 'success', 'error', 'cancel'];
for (const type of types) {
  queue.addEventListener(type, (event) => {
    const detail = (event as CustomEvent).detail as { upload?: UploadSnapshot; error?: { kind: string; code: unknown; message: string } };
    events.push({
      type,
      name: detail.upload?.name,
      status: detail.upload?.status,
      kind: detail.error?.kind,
      code: detail.error === undefined ? undefined : String(detail.error.code),
      message: detail.error?.message,
      at: Date.now(),
    });
  });
}
window.faultEngine = { uploads: () => queue.uploads, events };

const input = document.getElementById('files') as HTMLInputElement;
input.addEventListener('change', () => {
  queue.add(Array.from(input.files ?? []));
  input.value = '';
});
void queue.init().then(() => document.body.setAttribute('data-ready', 'true'));
