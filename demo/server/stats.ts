// Counters the tests and the benchmark read: per file path and in total (also GET /__stats).

export interface PathStats {
  requests: number;
  createRequests: number;
  sliceRequests: number;
  /**
   * Payload bytes of every accepted slice (answered code 0), duplicates included; refused slices
   * (wrong length, offset, session, signature) do not count. Unique bytes = received - duplicate.
   */
  bytesReceived: number;
  /** Payload bytes of slices the server already had: bytes the client sent twice. */
  bytesDuplicate: number;
  /**
   * Bytes the sha check read back from disk when a file was completed: 0 when the running sha of
   * the received prefix kept up (session.ts), the file's size when it fell back to reading the part
   * file (a session loaded after a restart).
   */
  bytesReadBack: number;
  /** How many times a file was completed at this path (uploaded or instant). */
  completed: number;
  /** The sha of the file completed last at this path. */
  sha?: string;
}

export interface CompletedFile {
  /** `/{dir}/{name}` (resource_path). */
  path: string;
  sha: string;
  size: number;
  instant: boolean;
  at: number;
}

export interface ServerStats {
  total: PathStats;
  /** Keyed by resource_path, `/{dir}/{name}`. */
  paths: Record<string, PathStats>;
  completedFiles: CompletedFile[];
  signatureRequests: number;
  maxConcurrentSignatureRequests: number;
  /** Upload requests (any path) open at once at most: from arrival to the end of the answer. */
  maxConcurrentUploadRequests: number;
  /** Rejected upload requests by code (HTTP status for faults: `http-500`). */
  rejected: Record<string, number>;
  reset(): void;
}

function emptyPathStats(): PathStats {
  return { requests: 0, createRequests: 0, sliceRequests: 0, bytesReceived: 0, bytesDuplicate: 0, bytesReadBack: 0, completed: 0 };
}

export function createStats(): ServerStats {
  const stats: ServerStats = {
    total: emptyPathStats(),
    paths: {},
    completedFiles: [],
    signatureRequests: 0,
    maxConcurrentSignatureRequests: 0,
    maxConcurrentUploadRequests: 0,
    rejected: {},
    reset() {
      stats.total = emptyPathStats();
      stats.paths = {};
      stats.completedFiles = [];
      stats.signatureRequests = 0;
      stats.maxConcurrentSignatureRequests = 0;
      stats.maxConcurrentUploadRequests = 0;
      stats.rejected = {};
    },
  };
  return stats;
}

type Counter = Exclude<keyof PathStats, 'sha'>;

/** Adds to one counter of a path and to the total. */
export function count(stats: ServerStats, path: string | undefined, counter: Counter, amount = 1): void {
  stats.total[counter] += amount;
  if (path === undefined) return;
  const entry = (stats.paths[path] ??= emptyPathStats());
  entry[counter] += amount;
}

export function countRejected(stats: ServerStats, code: number | string): void {
  const key = String(code);
  stats.rejected[key] = (stats.rejected[key] ?? 0) + 1;
}

export function recordCompleted(stats: ServerStats, file: CompletedFile): void {
  count(stats, file.path, 'completed');
  const entry = stats.paths[file.path];
  if (entry) entry.sha = file.sha;
  stats.total.sha = file.sha;
  stats.completedFiles.push(file);
}

/** The JSON shape of GET /__stats (everything but the reset function). */
export function statsSnapshot(stats: ServerStats): Omit<ServerStats, 'reset'> {
  const { reset: _reset, ...rest } = stats;
  return structuredClone(rest);
}
