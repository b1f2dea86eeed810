// Reading an upload_slice answer: the protocol's JSON `{code, message, data}` on success, and one
// UploadError per failure otherwise, with the action PROTOCOL.md's error table prescribes. Kept apart
// from client.ts so the table can be tested row by row without any network.

import { ErrorAction, ErrorKind, UploadError } from '../engine/errors.js';
import { excerpt } from './message-text.js';

interface CodeRule {
  action: ErrorAction;
  /** Plain words a user can read; the code and the server's message are added behind them. */
  text: string;
}

// PROTOCOL.md, "Error codes and what a client does". The engine reads `action`; users read `text`.
const CODE_RULES = new Map<number, CodeRule>();
function rule(codes: number[], action: ErrorAction, text: string): void {
  for (const code of codes) CODE_RULES.set(code, { action, text });
}
rule([-96, -59], ErrorAction.RenewSignature, 'The upload signature has expired');
// The engine renews once; if the new signature is refused again it stops (see engine retry policy).
rule([-97, -70, -81], ErrorAction.RenewSignature, 'The server refused the upload signature');
rule([-95, -94], ErrorAction.RestartSession, 'The server no longer knows this upload session');
rule([-4018, -177], ErrorAction.Fatal, 'A different file already exists at this path');
rule([-4019], ErrorAction.Resume, 'This file is already being uploaded and is not finished');
rule([-4016], ErrorAction.Rehash, "The server's SHA-1 check of the file failed");
rule([-71], ErrorAction.Retry, 'The server is receiving too many requests');
rule(
  [-66, -98, -152, -181, -196, -5997, -5989],
  ErrorAction.Retry,
  'The upload service had a temporary problem',
);

/** 5xx, 429 and 408 are transient by HTTP's own meaning; other statuses are not worth repeating. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

function actionForStatus(status: number): ErrorAction {
  return isTransientStatus(status) ? ErrorAction.Retry : ErrorAction.Fatal;
}

/** The UploadError for a protocol JSON answer with a non-zero `code` (its `data` kept). */
export function errorFromCode(code: number, serverMessage?: string, status?: number, data?: Record<string, unknown>): UploadError {
  const known = CODE_RULES.get(code);
  // An unknown code under a 5xx/429 is still a transient answer of an overloaded server.
  const action = known?.action ?? (status !== undefined ? actionForStatus(status) : ErrorAction.Fatal);
  const text = known?.text ?? 'The upload service refused the request';
  const detail = serverMessage ? `code ${code}: ${serverMessage}` : `code ${code}`;
  return new UploadError({
    kind: ErrorKind.Server,
    code,
    message: `${text} (${detail}).`,
    action,
    status,
    serverMessage,
    data,
  });
}

export type ClassifiedResponse =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; error: UploadError };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeHtml(body: string): boolean {
  return /^\s*(<!doctype|<html|<head|<body|<\?xml|<[a-z])/i.test(body);
}

/** A protocol code as a number, accepting numeric strings ("-96"). */
function readCode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function badResponse(status: number, message: string, cause?: unknown): UploadError {
  // A broken answer under 5xx/429 is a proxy or server in trouble: try again. Under 2xx/4xx the
  // endpoint is most likely the wrong one (e.g. a dev server's index.html): repeating will not help.
  return new UploadError({
    kind: ErrorKind.BadResponse,
    code: 'bad-response',
    message,
    action: actionForStatus(status),
    status,
    cause,
  });
}

function httpError(status: number, message: string): UploadError {
  return new UploadError({ kind: ErrorKind.Http, code: status, message, action: actionForStatus(status), status });
}

/**
 * Classifies one answer from its HTTP status and body text. Success is a 2xx with JSON `code` 0 and
 * an object `data` (missing data counts as `{}`: the caller checks the fields it needs).
 */
export function classifyResponse(status: number, body: string): ClassifiedResponse {
  const fail = (error: UploadError): ClassifiedResponse => ({ ok: false, error });
  const ok2xx = status >= 200 && status < 300;
  const trimmed = body.trim();

  if (trimmed === '') {
    return ok2xx
      ? fail(badResponse(status, `The upload server sent an empty response (HTTP ${status}).`))
      : fail(httpError(status, `The upload server answered HTTP ${status} with an empty response.`));
  }
  if (looksLikeHtml(trimmed)) {
    return fail(
      badResponse(
        status,
        `The upload server answered HTTP ${status} with an HTML page instead of JSON; check the endpoint.`,
      ),
    );
  }

  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (cause) {
    return ok2xx
      ? fail(badResponse(status, `The upload server sent text that is not JSON (HTTP ${status}): ${excerpt(trimmed)}`, cause))
      : fail(httpError(status, `The upload server answered HTTP ${status}: ${excerpt(trimmed)}`));
  }

  const code = isRecord(json) ? readCode(json.code) : undefined;
  if (!isRecord(json) || code === undefined) {
    return fail(
      badResponse(status, `The upload server sent JSON without a numeric "code" (HTTP ${status}): ${excerpt(trimmed)}`),
    );
  }
  const serverMessage = typeof json.message === 'string' ? json.message : undefined;
  if (code !== 0) return fail(errorFromCode(code, serverMessage, status, isRecord(json.data) ? json.data : undefined));
  if (!ok2xx) {
    // "Success" under an error status: trust the status, it is what proxies and CORS see too.
    return fail(httpError(status, `The upload server answered HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}.`));
  }
  const data = json.data ?? {};
  if (!isRecord(data)) {
    return fail(badResponse(status, 'The upload server sent a "data" field that is not an object.'));
  }
  return { ok: true, data };
}
