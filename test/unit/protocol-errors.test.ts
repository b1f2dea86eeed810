// Every row of PROTOCOL.md's error table, and the answers that are not the protocol's JSON at all:
// each must become one UploadError with the right kind, action, code, status and a readable message.
import { describe, expect, it } from 'vitest';
import { UploadError } from '../../src/engine/errors.js';
import { classifyResponse, errorFromCode } from '../../src/protocol/response.js';

function failure(status: number, body: string): UploadError {
  const classified = classifyResponse(status, body);
  if (classified.ok) throw new Error(`expected a failure for HTTP ${status} ${body}`);
  return classified.error;
}

const json = (value: unknown) => JSON.stringify(value);

describe('server codes (HTTP 200, protocol JSON)', () => {
  it.each([
    [-96, 'renew-signature', /expired/],
    [-59, 'renew-signature', /expired/],
    [-97, 'renew-signature', /refused the upload signature/],
    [-70, 'renew-signature', /refused the upload signature/],
    [-81, 'renew-signature', /refused the upload signature/],
    [-95, 'restart-session', /session/],
    [-94, 'restart-session', /session/],
    [-4018, 'fatal', /a different file already exists at this path/i],
    [-177, 'fatal', /a different file already exists at this path/i],
    [-4019, 'resume', /already being uploaded/],
    [-4016, 'rehash', /SHA-1 check/],
    [-71, 'retry', /too many requests/],
    [-66, 'retry', /temporary/],
    [-98, 'retry', /temporary/],
    [-152, 'retry', /temporary/],
    [-181, 'retry', /temporary/],
    [-196, 'retry', /temporary/],
    [-5997, 'retry', /temporary/],
    [-5989, 'retry', /temporary/],
    [-12345, 'fatal', /refused the request/],
    [42, 'fatal', /refused the request/],
  ])('code %i -> %s', (code, action, text) => {
    const error = failure(200, json({ code, message: 'ERROR_SOMETHING', data: {} }));
    expect(error).toMatchObject({ kind: 'server', code, action, status: 200, serverMessage: 'ERROR_SOMETHING' });
    expect(error.message).toMatch(text);
    // The code and the server's own words stay visible behind the plain sentence.
    expect(error.message).toContain(`code ${code}: ERROR_SOMETHING`);
    expect(error.retryable).toBe(action !== 'fatal');
  });

  it('reads a code sent as a numeric string', () => {
    expect(failure(200, json({ code: '-96', message: 'ERROR_PROXY_AUTH_EXPIRED' }))).toMatchObject({
      code: -96,
      action: 'renew-signature',
    });
  });

  it('keeps the table action whatever the HTTP status carrying the code', () => {
    expect(failure(403, json({ code: -96, message: 'x' }))).toMatchObject({ action: 'renew-signature', status: 403 });
    expect(failure(500, json({ code: -4018, message: 'x' }))).toMatchObject({ action: 'fatal', status: 500 });
  });

  it('keeps the data of an error answer (a -4019 names its session there)', () => {
    const error = failure(200, json({ code: -4019, message: 'ERROR_UPLOAD_UNFINISHED', data: { session: 's-1' } }));
    expect(error).toMatchObject({ code: -4019, action: 'resume', data: { session: 's-1' } });
    expect(failure(200, json({ code: -4019, message: 'x' })).data).toBeUndefined();
  });

  it('errorFromCode works without a message or status', () => {
    const error = errorFromCode(-95);
    expect(error).toMatchObject({ kind: 'server', code: -95, action: 'restart-session' });
    expect(error.message).toContain('(code -95)');
  });
});

describe('HTTP statuses', () => {
  it.each([500, 502, 503, 504, 429])('HTTP %i with protocol JSON: the JSON code, message, and retry', (status) => {
    const error = failure(status, json({ code: -1, message: 'ERROR_BUSY' }));
    expect(error).toMatchObject({ kind: 'server', code: -1, status, action: 'retry', serverMessage: 'ERROR_BUSY' });
  });

  it.each([500, 503, 429, 408])('HTTP %i with a plain-text body: kind http, retry', (status) => {
    const error = failure(status, 'Service Unavailable');
    expect(error).toMatchObject({ kind: 'http', code: status, status, action: 'retry' });
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain('Service Unavailable');
  });

  it.each([403, 404, 400, 413])('HTTP %i without JSON: kind http, fatal', (status) => {
    const error = failure(status, 'Forbidden');
    expect(error).toMatchObject({ kind: 'http', code: status, status, action: 'fatal' });
  });

  it.each([403, 404])('HTTP %i with protocol JSON and an unknown code: fatal, with the server message', (status) => {
    const error = failure(status, json({ code: -1000, message: 'ERROR_NOT_ALLOWED' }));
    expect(error).toMatchObject({ kind: 'server', code: -1000, status, action: 'fatal' });
    expect(error.message).toContain('ERROR_NOT_ALLOWED');
  });

  it('HTTP 404 with code 0 is still a failure (the status wins)', () => {
    expect(failure(404, json({ code: 0, message: 'ok' }))).toMatchObject({ kind: 'http', status: 404, action: 'fatal' });
  });
});

describe('bodies that are not the protocol JSON', () => {
  const page = '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>';

  it('an HTML page under 200 (e.g. a dev server fallback) is a fatal bad-response', () => {
    const error = failure(200, page);
    expect(error).toMatchObject({ kind: 'bad-response', status: 200, action: 'fatal' });
    expect(error.message).toContain('HTTP 200');
    expect(error.message).toContain('HTML page instead of JSON');
  });

  it('an HTML page under 502 is a bad-response that is retried', () => {
    const error = failure(502, `\n  ${page}`);
    expect(error).toMatchObject({ kind: 'bad-response', status: 502, action: 'retry' });
    expect(error.message).toContain('HTTP 502');
    expect(error.message).toContain('HTML page instead of JSON');
  });

  it('an empty 502 says "empty response" with the status, and is retried', () => {
    const error = failure(502, '');
    expect(error).toMatchObject({ kind: 'http', code: 502, status: 502, action: 'retry' });
    expect(error.message).toMatch(/HTTP 502.*empty response/);
  });

  it('an empty 200 is a fatal bad-response', () => {
    const error = failure(200, '  \n');
    expect(error).toMatchObject({ kind: 'bad-response', action: 'fatal' });
    expect(error.message).toMatch(/empty response.*HTTP 200/);
  });

  it('JSON without a numeric code: bad-response, fatal under 200, retried under 5xx', () => {
    expect(failure(200, json({ message: 'hello' }))).toMatchObject({ kind: 'bad-response', action: 'fatal' });
    expect(failure(200, json({ code: 'abc' }))).toMatchObject({ kind: 'bad-response', action: 'fatal' });
    expect(failure(200, json([1, 2]))).toMatchObject({ kind: 'bad-response', action: 'fatal' });
    expect(failure(503, json({ error: 'busy' }))).toMatchObject({ kind: 'bad-response', action: 'retry' });
    expect(failure(200, json({ message: 'hello' })).message).toContain('without a numeric "code"');
  });

  it('text that is not JSON under 200 is a fatal bad-response quoting it', () => {
    const error = failure(200, 'OK then');
    expect(error).toMatchObject({ kind: 'bad-response', action: 'fatal' });
    expect(error.message).toContain('OK then');
  });

  it('a data field that is not an object is a bad-response', () => {
    expect(failure(200, json({ code: 0, data: 'x' }))).toMatchObject({ kind: 'bad-response' });
  });
});

describe('success', () => {
  it('returns data for code 0 under 2xx, and {} when data is missing', () => {
    expect(classifyResponse(200, json({ code: 0, message: 'SUCCESS', data: { session: 's' } }))).toEqual({
      ok: true,
      data: { session: 's' },
    });
    expect(classifyResponse(200, json({ code: 0 }))).toEqual({ ok: true, data: {} });
  });
});
