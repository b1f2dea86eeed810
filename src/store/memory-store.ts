// An in-memory SessionStore: for Node tests, and what IdbSessionStore falls back to when IndexedDB
// fails. Records are copied in and out so callers never share (and mutate) the stored objects, as
// with IndexedDB's structured clone.

import type { StoredSession, SessionStore } from '../engine/types.js';
import type { UploadError } from '../engine/errors.js';

export interface MemorySessionStoreOptions {
  /** The clock `sweep` compares `updatedAt` with (ms since epoch). */
  now?: () => number;
}

/** A copy deep enough that no mutable part is shared; a FileSystemFileHandle is kept as is. */
export function copySession(session: StoredSession): StoredSession {
  return {
    ...session,
    target: { ...session.target },
    acked: session.acked.map(([start, end]) => [start, end]),
    checkpoint: session.checkpoint
      ? { offset: session.checkpoint.offset, state: session.checkpoint.state.slice() }
      : undefined,
    metadata: session.metadata ? { ...session.metadata } : undefined,
  };
}

export class MemorySessionStore implements SessionStore {
  onWarning?: (error: UploadError) => void;
  readonly #sessions = new Map<string, StoredSession>();
  readonly #now: () => number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  async get(key: string): Promise<StoredSession | undefined> {
    const session = this.#sessions.get(key);
    return session ? copySession(session) : undefined;
  }

  async put(session: StoredSession): Promise<void> {
    this.#sessions.set(session.key, copySession(session));
  }

  async delete(key: string): Promise<void> {
    this.#sessions.delete(key);
  }

  async list(): Promise<StoredSession[]> {
    return [...this.#sessions.values()].map(copySession);
  }

  async sweep(maxAgeMs: number): Promise<void> {
    const oldest = this.#now() - maxAgeMs;
    for (const [key, session] of this.#sessions) {
      if (session.updatedAt < oldest) this.#sessions.delete(key);
    }
  }

  /** Synchronous put for IdbSessionStore's mirror (same semantics as `put`). */
  putNow(session: StoredSession): void {
    this.#sessions.set(session.key, copySession(session));
  }
}
