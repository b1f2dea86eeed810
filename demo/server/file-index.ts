// The index of finished files on disk: files.json (the state at the last start) and files.jsonl, one
// line appended per file finished since. Rewriting the whole index for every finished file made each
// file cost in proportion to the files before it (a 10,000-file run rewrote up to 1 MB per file);
// an appended line costs the same for the first file and the ten-thousandth, and is as durable (no
// fsync either way). At start the journal is folded into files.json and removed.

import { appendFile } from 'node:fs/promises';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { coalescingSaver, readJson, writeAtomicSync, type FileEntry, type Layout } from './storage.js';

export class FileIndex {
  readonly #journal: string;
  #pending: string[] = [];
  readonly #flush: () => Promise<void>;

  /** Loads files.json and the journal into `into`, then folds the journal into files.json. */
  constructor(layout: Layout, into: (key: string, entry: FileEntry) => void) {
    this.#journal = layout.filesJournal;
    const files: Record<string, FileEntry> = readJson<Record<string, FileEntry>>(layout.filesIndex) ?? {};
    if (existsSync(this.#journal)) {
      for (const line of readFileSync(this.#journal, 'utf8').split('\n')) {
        const record = parseLine(line);
        if (record) files[record.key] = record.entry;
      }
      writeAtomicSync(layout.filesIndex, JSON.stringify(files));
      unlinkSync(this.#journal);
    }
    for (const [key, entry] of Object.entries(files)) into(key, entry);
    // The lines that came while one append ran go together in the next.
    this.#flush = coalescingSaver(() => appendFile(this.#journal, this.#pending.splice(0).join('')));
  }

  /** Resolves once the line of `key` is on disk. */
  add(key: string, entry: FileEntry): Promise<void> {
    this.#pending.push(`${JSON.stringify({ key, entry })}\n`);
    return this.#flush();
  }
}

/** One journal line, or undefined for an empty or torn one (a crash in the middle of an append). */
function parseLine(line: string): { key: string; entry: FileEntry } | undefined {
  if (line.trim() === '') return undefined;
  try {
    const record = JSON.parse(line) as { key?: unknown; entry?: FileEntry };
    return typeof record.key === 'string' && record.entry ? { key: record.key, entry: record.entry } : undefined;
  } catch {
    return undefined;
  }
}
