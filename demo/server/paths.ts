// Parses and checks the file part of `/files/v1/{appid}/{bucket}/{dir...}/{name}`. Anything that
// could address another place than it seems (dot segments, encoded or back slashes, control
// characters, empty segments) is refused. No length is refused: no name or folder ever becomes a
// file-system path here (blobs are stored by sha, sessions by a random id, paths only inside JSON), so
// a long name cannot hit a file-system limit.

import { encodeSegment } from '../../src/protocol/url.js';

export interface FilePath {
  appid: string;
  bucket: string;
  /** `{dir}/{name}` decoded, no leading slash. */
  path: string;
  /** `/{dir}/{name}`: what the protocol calls resource_path. */
  resourcePath: string;
  /** `{appid}/{bucket}/{dir}/{name}`: the server's key for the file. */
  key: string;
  /** The segments percent-encoded again, for URLs the server hands out. */
  encoded: string;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

export function parseFilePath(raw: string): FilePath | { error: string } {
  if (raw.includes('\\')) return { error: 'backslashes are not allowed in a path' };
  const parts = raw.split('/');
  if (parts.length < 3) return { error: 'the path must be /{appid}/{bucket}/[{dir}/]{name}' };
  if (parts[parts.length - 1] === '') return { error: 'a path ending in "/" addresses a folder, not a file' };
  const decoded: string[] = [];
  for (const part of parts) {
    if (part === '') return { error: 'empty path segment ("//")' };
    if (/%(2f|5c)/i.test(part)) return { error: 'an encoded slash inside a path segment is not allowed' };
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return { error: 'a path segment is not valid percent-encoded UTF-8' };
    }
    if (segment === '.' || segment === '..') return { error: '"." and ".." segments are not allowed' };
    if (CONTROL.test(segment)) return { error: 'control characters are not allowed in a path' };
    decoded.push(segment);
  }
  const [appid = '', bucket = '', ...rest] = decoded;
  const path = rest.join('/');
  return {
    appid,
    bucket,
    path,
    resourcePath: `/${path}`,
    key: `${appid}/${bucket}/${path}`,
    encoded: decoded.map(encodeSegment).join('/'),
  };
}
