// What the server keeps on disk under dataDir, so that signatures, sessions and finished files
// survive a restart:
//   secret.json           the generated SecretId/SecretKey (mode 0600; never sent to a browser)
//   files.json            finished files: key `{appid}/{bucket}/{path}` -> {sha, size}
//   files.jsonl           files finished since the last start, a line each (file-index.ts)
//   blobs/{sha}           finished file contents, shared by every path holding the same sha
//   sessions/{id}.json    unfinished sessions (received slices), written atomically
//   sessions/{id}.part    the file being assembled: each slice written at its own offset

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface FileEntry {
  sha: string;
  size: number;
  completedAt: number;
}

export interface Layout {
  dataDir: string;
  blobs: string;
  sessions: string;
  filesIndex: string;
  filesJournal: string;
}

export function prepareDataDir(dataDir: string): Layout {
  const layout = {
    dataDir,
    blobs: join(dataDir, 'blobs'),
    sessions: join(dataDir, 'sessions'),
    filesIndex: join(dataDir, 'files.json'),
    filesJournal: join(dataDir, 'files.jsonl'),
  };
  mkdirSync(layout.blobs, { recursive: true });
  mkdirSync(layout.sessions, { recursive: true });
  return layout;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomText(length: number): string {
  return Array.from(randomBytes(length), (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

/** The keys given, else those generated on first start and kept in dataDir/secret.json. */
export function loadOrCreateSecret(
  dataDir: string,
  given: { secretId?: string; secretKey?: string },
): { secretId: string; secretKey: string } {
  if (given.secretId && given.secretKey) return { secretId: given.secretId, secretKey: given.secretKey };
  const file = join(dataDir, 'secret.json');
  let stored: { secretId?: string; secretKey?: string } = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as typeof stored;
    } catch {
      stored = {};
    }
  }
  if (!stored.secretId || !stored.secretKey) {
    stored = { secretId: `AKID${randomText(32)}`, secretKey: randomText(32) };
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  }
  return { secretId: given.secretId ?? stored.secretId ?? '', secretKey: given.secretKey ?? stored.secretKey ?? '' };
}

/** Where a write of `file` goes before it is renamed over it. */
function tempOf(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

/** Writes a temp file and renames it over the target: readers never see half a file. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const temp = tempOf(file);
  await writeFile(temp, text);
  await rename(temp, file);
}

/** writeAtomic at start-up, before anything else runs. */
export function writeAtomicSync(file: string, text: string): void {
  const temp = tempOf(file);
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/**
 * Serialises saves of one file and merges bursts: while a write runs, every caller shares the one
 * queued after it, which reads the state when it starts and so includes all their changes.
 */
export function coalescingSaver(write: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const start = (): Promise<void> => {
    const p: Promise<void> = write().finally(() => {
      if (running === p) running = null;
    });
    running = p;
    return p;
  };
  return () => {
    if (queued) return queued;
    if (!running) return start();
    queued = running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return start();
      });
    return queued;
  };
}

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function listSessionFiles(layout: Layout): string[] {
  return readdirSync(layout.sessions).filter((f) => f.endsWith('.json'));
}

/** SHA-1 of a file, streamed from disk in 1 MiB reads (never the whole file in memory). */
export function sha1OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha1');
    createReadStream(file, { highWaterMark: 1024 * 1024 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export async function unlinkQuietly(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch {
    /* already gone */
  }
}

export const EMPTY_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
