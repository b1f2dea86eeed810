// The fingerprint that finds an upload again after a reload or a re-selection of the same file.
// It is built from the target path, the size and a sampled SHA-1 (a few ranges of the content), not
// from lastModified: a file copied or re-downloaded keeps its content but not its mtime, and should
// still be found. Because the key ignores mtime, a stored whole-file sha is only trusted when the
// mtime matches too (see session-record.ts).

import type { UploadTarget } from './types.js';

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}

/** `{dir}/{name}` as the signer and the store see it: not percent-encoded, no leading slash. */
export function targetPath(target: UploadTarget, name: string): string {
  const dir = trimSlashes(target.dir);
  return dir ? `${dir}/${name}` : name;
}

/** The target with `folder` (relative, `a/b`, from a folder drop) under its own folder. */
export function inFolder(target: UploadTarget, folder: string | undefined): UploadTarget {
  return folder ? { ...target, dir: targetPath(target, trimSlashes(folder)) } : target;
}

/**
 * "The same file" in one list: the same destination and size (the fingerprint without its content
 * sample). Two files that could share a fingerprint, and so a cross-tab lock, are never both in a
 * list: another holder of that lock is always another tab. Each part is URI-encoded so that no
 * name can forge a separator.
 */
export function sameFileKey(target: UploadTarget, name: string, size: number): string {
  return [target.appid, target.bucket, targetPath(target, name), String(size)].map(encodeURIComponent).join(':');
}

/** A stable string key: the same file, and its sampled content. */
export function fingerprintKey(
  target: UploadTarget,
  name: string,
  size: number,
  sampleSha: string,
): string {
  return `vod-upload:v1:${sameFileKey(target, name, size)}:${encodeURIComponent(sampleSha)}`;
}
