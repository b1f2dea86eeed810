// Builds the engine's browser dependencies from the element's current attributes. The queue is
// created once, but `endpoint`, `signature-url` and `signatureProvider` may change later (a CMS sets
// them after first render), so the protocol client and signer read the settings at call time.

import { createHasher } from '../hashing/hasher.js';
import { createProtocolClient } from '../protocol/client.js';
import { createSigner } from '../protocol/signature.js';
import { IdbSessionStore } from '../store/idb-store.js';
import { browserOnlineSource } from '../store/online.js';
import { WebLocks } from '../store/web-locks.js';
import { pageTimers } from '../timers/worker-timers.js';
import { sleepOn } from '../engine/clock.js';
import type { EngineDeps } from '../engine/options.js';
import type { ProtocolClient, SignatureFunction, Signer } from '../engine/types.js';
import { ErrorAction, ErrorKind, UploadError } from '../engine/errors.js';

export interface ConnectionSettings {
  endpoint: string;
  signatureUrl: string;
  signatureProvider?: SignatureFunction;
}

/** A protocol client that follows the current endpoint (one real client per endpoint value). */
function followingProtocolClient(read: () => ConnectionSettings): ProtocolClient {
  const clients = new Map<string, ProtocolClient>();
  const current = (): ProtocolClient => {
    const endpoint = read().endpoint.replace(/\/+$/, '');
    let client = clients.get(endpoint);
    if (!client) {
      client = createProtocolClient({ endpoint });
      clients.set(endpoint, client);
    }
    return client;
  };
  return {
    create: (req) => current().create(req),
    sendSlice: (req) => current().sendSlice(req),
  };
}

/** A signer that follows the current source: the provider function wins over the URL. */
function followingSigner(read: () => ConnectionSettings): Signer {
  const signers = new Map<string | SignatureFunction, Signer>();
  const current = (): Signer => {
    const { signatureProvider, signatureUrl } = read();
    const source = signatureProvider ?? signatureUrl;
    if (!source) {
      throw new UploadError({
        kind: ErrorKind.Signature,
        code: 'no-signature-source',
        message: 'Set the signature-url attribute or the signatureProvider property.',
        action: ErrorAction.Fatal,
      });
    }
    let signer = signers.get(source);
    if (!signer) {
      signer = createSigner({ source });
      signers.set(source, signer);
    }
    return signer;
  };
  return {
    get: async (scope, signal) => current().get(scope, signal),
    renew: async (scope, rejected, signal) => current().renew(scope, rejected, signal),
  };
}

/** EngineDeps plus what lets go of the page: the store's 'pagehide' listener (after its last writes). */
export interface BrowserDependencies extends EngineDeps {
  close(): Promise<void>;
}

/**
 * Everything the upload queue needs in a browser: worker hasher, IndexedDB, Web Locks, fetch, and
 * the timer worker for retry backoff and the session write interval (hidden tabs: worker-timers.ts).
 * Both workers end by themselves 10 s after their last job or timer (hasher.ts, worker-timers.ts);
 * the online listeners go with the queue.
 */
export function createBrowserDependencies(read: () => ConnectionSettings): BrowserDependencies {
  const store = new IdbSessionStore({ schedule: pageTimers.schedule });
  return {
    protocol: followingProtocolClient(read),
    signer: followingSigner(read),
    hasher: createHasher(),
    store,
    locks: new WebLocks(),
    online: browserOnlineSource(),
    sleep: sleepOn(pageTimers.schedule),
    scheduleChange: scheduleRender,
    close: () => store.close(),
  };
}

/**
 * Up to this many rows a change is shown in the same task (a microtask later): small lists keep the
 * immediate order of events and renders that the tests and poster extraction rely on.
 */
const IMMEDIATE_BELOW = 100;
/**
 * Past it, the list is re-rendered after a wait that grows with it (ms per upload, at most
 * MAX_RENDER_WAIT_MS): a render costs about the same per row, so the share of the main thread the
 * list takes stays flat as it grows. Re-rendering 1,000 rows on every frame while files send in
 * parallel took most of the main thread (bench "many files"). Windowing (issue 14 item 3) makes a
 * render cheap; the wait then only batches.
 */
const RENDER_WAIT_MS_PER_UPLOAD = 0.25;
const MAX_RENDER_WAIT_MS = 250;

function scheduleRender(flush: () => void, uploads: number): void {
  if (uploads < IMMEDIATE_BELOW) queueMicrotask(flush);
  else setTimeout(flush, Math.min(MAX_RENDER_WAIT_MS, uploads * RENDER_WAIT_MS_PER_UPLOAD));
}
