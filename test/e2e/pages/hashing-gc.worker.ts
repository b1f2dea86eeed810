// Test worker for hashing.spec.ts's garbage-collection case: hash-core's loop (the product's reader
// code) while the garbage collector runs all along, as it may at any moment in a real worker. Needs
// V8's `gc()`, exposed by launching Chromium with --js-flags=--expose-gc. Issue 12: a stream whose
// pending read nothing else refers to was collected, and its job never settled.
import { hashBlob } from '../../../src/hashing/hash-core.js';
import type { ReaderChoice } from '../../../src/hashing/file-readers.js';

export interface GcHashRequest {
  file: Blob;
  /** Forced reader; undefined: the probe (on a small segment, so that a test file need not be 128 MiB). */
  reader?: 'stream' | 'blocks';
}
export type GcHashResult = { sha: string } | { hung: true } | { error: string } | { noGc: true };

const MiB = 1024 * 1024;
/** A hash of the test's file takes well under 2 s even under the forced GCs; no answer by then is a hang. */
const HANG_MS = 20_000;

const collect = (globalThis as { gc?: () => void }).gc;
const answer = (result: GcHashResult): void => globalThis.postMessage(result);

globalThis.onmessage = async ({ data }: MessageEvent<GcHashRequest>) => {
  if (!collect) return answer({ noGc: true });
  let hashing = true;
  void (async () => {
    while (hashing) {
      collect();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  })();
  const readerChoice: ReaderChoice = { segmentBytes: 4 * MiB, minBytes: 16 * MiB };
  const hang = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), HANG_MS));
  try {
    const sha = await Promise.race([hashBlob(data.file, { reader: data.reader, readerChoice }), hang]);
    answer(sha === 'hung' ? { hung: true } : { sha });
  } catch (error) {
    answer({ error: String(error) });
  } finally {
    hashing = false;
  }
};
