// The file URL of the upload_slice protocol, POST {endpoint}/{appid}/{bucket}/{dir}/{name}. Every part
// is checked here, before any byte is sent, so that a bad name fails with a readable validation error
// instead of a server code or, worse, a request to another path ('..'). Only what the protocol itself
// cannot carry is refused: no length limit is guessed here (a server that has one answers with its
// own code and message, which the element shows).

import { ErrorAction, ErrorKind, UploadError } from '../engine/errors.js';
import type { UploadTarget } from '../engine/types.js';

// C0 controls and DEL: invisible, and some (NUL, CR, LF) cut or split a path on the server side.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

function validationError(code: string, message: string): UploadError {
  return new UploadError({ kind: ErrorKind.Validation, code, message, action: ErrorAction.Fatal });
}

/** Shows a name in a message with its control characters made visible. */
function quoted(text: string): string {
  return JSON.stringify(text);
}

/**
 * Percent-encodes the UTF-8 bytes of every character except RFC 3986 unreserved ones.
 * encodeURIComponent leaves `!'()*` as they are, so those are encoded by hand; it throws on a lone
 * surrogate (not representable in UTF-8), which the callers turn into a validation error.
 */
export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function isWellFormed(text: string): boolean {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** Checks the file name; returns it unchanged. */
export function validateName(name: string): string {
  if (name.length === 0) throw validationError('invalid-name', 'The file name is empty.');
  if (name === '.' || name === '..') {
    throw validationError('invalid-name', `The file name ${quoted(name)} is not allowed.`);
  }
  if (name.includes('/') || name.includes('\\')) {
    throw validationError('invalid-name', `The file name ${quoted(name)} contains a slash, which is not allowed.`);
  }
  if (CONTROL_CHARACTER.test(name)) {
    throw validationError('invalid-name', `The file name ${quoted(name)} contains a control character.`);
  }
  if (!isWellFormed(name)) {
    throw validationError('invalid-name', `The file name ${quoted(name)} is not valid Unicode text.`);
  }
  return name;
}

/** Splits a folder path into its segments after stripping leading and trailing slashes. */
export function dirSegments(dir: string): string[] {
  const trimmed = dir.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return [];
  const segments = trimmed.split('/');
  for (const segment of segments) {
    if (segment === '') {
      throw validationError('invalid-dir', `The folder ${quoted(dir)} has an empty segment ("//").`);
    }
    if (segment === '.' || segment === '..') {
      throw validationError('invalid-dir', `The folder ${quoted(dir)} contains "${segment}", which is not allowed.`);
    }
    // Some servers read a backslash as a separator: refusing it keeps the path unambiguous.
    if (segment.includes('\\')) {
      throw validationError('invalid-dir', `The folder ${quoted(dir)} contains a backslash, which is not allowed.`);
    }
    if (CONTROL_CHARACTER.test(segment)) {
      throw validationError('invalid-dir', `The folder ${quoted(dir)} contains a control character.`);
    }
    if (!isWellFormed(segment)) {
      throw validationError('invalid-dir', `The folder ${quoted(dir)} is not valid Unicode text.`);
    }
  }
  return segments;
}

function validateTargetPart(label: 'appid' | 'bucket', value: string): string {
  if (value === '' || value.includes('/') || value.includes('\\') || value === '.' || value === '..') {
    throw validationError(
      `invalid-${label}`,
      `The ${label} ${quoted(value)} is not valid: it must be non-empty and contain no slash.`,
    );
  }
  if (CONTROL_CHARACTER.test(value) || !isWellFormed(value)) {
    throw validationError(`invalid-${label}`, `The ${label} ${quoted(value)} contains a character that is not allowed.`);
  }
  return value;
}

/**
 * The URL every request of one file goes to: {endpoint}/{appid}/{bucket}/{dir...}/{name}, each
 * segment percent-encoded, no trailing slash. Trailing slashes of the endpoint are stripped; its
 * leading slash is kept so that a same-origin endpoint such as '/files/v1' stays absolute.
 */
export function buildFileUrl(endpoint: string, target: UploadTarget, name: string): string {
  const base = endpoint.trim().replace(/\/+$/, '');
  if (base === '') throw validationError('invalid-endpoint', 'The upload endpoint is empty.');
  const parts = [
    validateTargetPart('appid', target.appid),
    validateTargetPart('bucket', target.bucket),
    ...dirSegments(target.dir),
    validateName(name),
  ];
  return `${base}/${parts.map(encodeSegment).join('/')}`;
}
