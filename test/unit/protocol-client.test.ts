// The upload_slice client against a scripted server (msw intercepting fetch): what goes out on the
// wire (URL, header, form fields, slice bytes) and what comes back (results, errors, timeouts, aborts).
import { delay, http, HttpResponse, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UploadError } from '../../src/engine/errors.js';
import type { CreateRequest, SliceRequest } from '../../src/engine/types.js';
import { createProtocolClient, sliceTimeoutMs } from '../../src/protocol/client.js';

const endpoint = 'https://vod.test/files/v1/';
const fileUrl = 'https://vod.test/files/v1/200001/newbucket/videos/2026/my%20clip.mp4';
const target = { appid: '200001', bucket: 'newbucket', dir: 'videos/2026' };
const sha = 'a9993e364706816aba3e25717850c26c9cd0d89d';

interface Captured {
  url: string;
  headers: Headers;
  form: FormData;
}
let captured: Captured[] = [];

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  captured = [];
});
afterAll(() => server.close());

/** Answers every POST with `answer` (JSON body or a Response) after recording the request. */
function serve(answer: Record<string, unknown> | (() => Response | Promise<Response>)): void {
  server.use(
    http.post('https://vod.test/files/v1/*', async ({ request }) => {
      captured.push({ url: request.url, headers: request.headers, form: await request.formData() });
      if (typeof answer === 'function') return answer();
      return HttpResponse.json(answer as JsonBodyType);
    }),
  );
}

const ok = (data: Record<string, unknown>) => ({ code: 0, message: 'SUCCESS', data });

function createReq(over: Partial<CreateRequest> = {}): CreateRequest {
  return { target, name: 'my clip.mp4', filesize: 1000, sha, signature: 'SIG+/=', ...over };
}
function sliceReq(over: Partial<SliceRequest> = {}): SliceRequest {
  return {
    target,
    name: 'my clip.mp4',
    session: 'sess-1',
    offset: 512,
    body: new Blob([new Uint8Array([1, 2, 3, 250, 251, 252])]),
    signature: 'SIG+/=',
    ...over,
  };
}

async function rejection(promise: Promise<unknown>): Promise<UploadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UploadError);
  return error as UploadError;
}

describe('create: the request', () => {
  it('posts op, filesize and sha to the file URL with the signature and a multipart body', async () => {
    serve(ok({ session: 's', offset: 0, slice_size: 524288 }));
    await createProtocolClient({ endpoint }).create(createReq());
    const [req] = captured;
    expect(req.url).toBe(fileUrl);
    expect(req.headers.get('authorization')).toBe('SIG+/=');
    // The boundary comes from fetch itself, which only happens when no Content-Type is forced.
    expect(req.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    expect([...req.form.keys()].sort()).toEqual(['filesize', 'op', 'sha']);
    expect(req.form.get('op')).toBe('upload_slice');
    expect(req.form.get('filesize')).toBe('1000');
    expect(req.form.get('sha')).toBe(sha);
  });

  it('sends session and metadata only when they are set and non-empty', async () => {
    serve(ok({ session: 's', offset: 0, slice_size: 100 }));
    const client = createProtocolClient({ endpoint });
    // `extra` stands for what plain JS may pass: not a protocol field, so not sent.
    const metadata = { video_title: '标题 & more', video_desc: '', biz_attr: 'b', extra: 'no' };
    await client.create(createReq({ session: 'old-session', metadata }));
    await client.create(
      createReq({
        metadata: { video_title: 't', video_desc: 'd', video_cover: 'https://x/c.jpg', biz_attr: 'b', magicContext: 'm' },
      }),
    );
    const [first, second] = captured;
    expect([...first.form.keys()].sort()).toEqual(['biz_attr', 'filesize', 'op', 'session', 'sha', 'video_title']);
    expect(first.form.get('session')).toBe('old-session');
    expect(first.form.get('video_title')).toBe('标题 & more');
    expect(second.form.has('session')).toBe(false);
    expect(Object.fromEntries(second.form)).toMatchObject({
      video_title: 't',
      video_desc: 'd',
      video_cover: 'https://x/c.jpg',
      biz_attr: 'b',
      magicContext: 'm',
    });
  });

  it.each([
    [0, '0'],
    [5 * 1024 ** 3, '5368709120'],
    [2 ** 32 + 1, '4294967297'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
  ])('sends filesize %d exactly as %s', async (filesize, text) => {
    serve(ok({ access_url: 'https://a/x', url: 'u', resource_path: '/p' }));
    await createProtocolClient({ endpoint }).create(createReq({ filesize }));
    expect(captured[0].form.get('filesize')).toBe(text);
  });

  it.each([-1, 1.5, 2 ** 53, Number.NaN])('refuses filesize %d before sending anything', async (filesize) => {
    serve(ok({}));
    const error = await rejection(createProtocolClient({ endpoint }).create(createReq({ filesize })));
    expect(error).toMatchObject({ kind: 'validation', code: 'invalid-size' });
    expect(captured).toHaveLength(0);
  });

  it('refuses an invalid name before sending anything', async () => {
    serve(ok({}));
    const error = await rejection(createProtocolClient({ endpoint }).create(createReq({ name: '..' })));
    expect(error).toMatchObject({ kind: 'validation', code: 'invalid-name' });
    expect(captured).toHaveLength(0);
  });
});

describe('create: the answer', () => {
  const create = (data: Record<string, unknown>, filesize = 10 * 2 ** 30) => {
    serve(ok(data));
    return createProtocolClient({ endpoint }).create(createReq({ filesize }));
  };

  it('continue, with numbers or with numeric strings', async () => {
    await expect(create({ session: 'abc', offset: 0, slice_size: 524288 })).resolves.toEqual({
      kind: 'continue',
      session: 'abc',
      offset: 0,
      sliceSize: 524288,
    });
    await expect(create({ session: 'abc', offset: '5368709120', slice_size: '1048577' })).resolves.toEqual({
      kind: 'continue',
      session: 'abc',
      offset: 5368709120,
      sliceSize: 1048577,
    });
  });

  it('done on the first request is an instant upload', async () => {
    await expect(
      create({ access_url: 'https://cdn/x.mp4', url: 'https://api/x', resource_path: '/videos/x.mp4' }),
    ).resolves.toEqual({
      kind: 'done',
      result: { accessUrl: 'https://cdn/x.mp4', url: 'https://api/x', resourcePath: '/videos/x.mp4', instant: true },
    });
  });

  it('a 0-byte file may be done at once or continue at offset 0', async () => {
    await expect(create({ access_url: 'a', url: 'u', resource_path: 'r' }, 0)).resolves.toMatchObject({ kind: 'done' });
    await expect(create({ session: 's', offset: 0, slice_size: 1 }, 0)).resolves.toMatchObject({ offset: 0 });
  });

  it.each([
    [{ offset: 0, slice_size: 10 }, /session/],
    [{ session: '', offset: 0, slice_size: 10 }, /session/],
    [{ session: 7, offset: 0, slice_size: 10 }, /session/],
    [{ session: 's', slice_size: 10 }, /offset/],
    [{ session: 's', offset: -1, slice_size: 10 }, /offset/],
    [{ session: 's', offset: 1.5, slice_size: 10 }, /offset/],
    [{ session: 's', offset: '12abc', slice_size: 10 }, /offset/],
    [{ session: 's', offset: 1001, slice_size: 10 }, /offset/],
    [{ session: 's', offset: 0 }, /slice_size/],
    [{ session: 's', offset: 0, slice_size: 0 }, /slice_size/],
    [{ session: 's', offset: 0, slice_size: '-5' }, /slice_size/],
  ])('a bad answer %j is a bad-response', async (data, field) => {
    const error = await rejection(create(data, 1000));
    expect(error).toMatchObject({ kind: 'bad-response', action: 'fatal', status: 200 });
    expect(error.message).toMatch(field);
  });
});

describe('sendSlice', () => {
  it('posts op, the slice bytes as a file part, session and offset; sha only when set', async () => {
    serve(ok({ session: 'sess-1', offset: 512 }));
    const client = createProtocolClient({ endpoint });
    await client.sendSlice(sliceReq());
    await client.sendSlice(sliceReq({ sha: 'slice-sha' }));
    const [first, second] = captured;
    expect(first.url).toBe(fileUrl);
    expect(first.headers.get('authorization')).toBe('SIG+/=');
    expect([...first.form.keys()].sort()).toEqual(['filecontent', 'offset', 'op', 'session']);
    expect(first.form.get('op')).toBe('upload_slice');
    expect(first.form.get('session')).toBe('sess-1');
    expect(first.form.get('offset')).toBe('512');
    const part = first.form.get('filecontent');
    expect(part).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await (part as Blob).arrayBuffer())]).toEqual([1, 2, 3, 250, 251, 252]);
    expect((part as File).name).toBe('my clip.mp4');
    expect(second.form.get('sha')).toBe('slice-sha');
  });

  it('hands the Blob to fetch without reading it itself', async () => {
    serve(ok({ session: 'sess-1', offset: 0 }));
    const body = new Blob(['abc']);
    const reads = [vi.spyOn(body, 'arrayBuffer'), vi.spyOn(body, 'text'), vi.spyOn(body, 'bytes')];
    await createProtocolClient({ endpoint }).sendSlice(sliceReq({ body, offset: 0 }));
    for (const read of reads) expect(read).not.toHaveBeenCalled();
    expect(await (captured[0].form.get('filecontent') as Blob).text()).toBe('abc');
  });

  it('sends offsets above 4 GiB exactly', async () => {
    serve(ok({ session: 'sess-1', offset: '6442450944' }));
    const answer = await createProtocolClient({ endpoint }).sendSlice(sliceReq({ offset: 6 * 2 ** 30 }));
    expect(captured[0].form.get('offset')).toBe('6442450944');
    expect(answer).toEqual({ kind: 'ack', session: 'sess-1', offset: 6 * 2 ** 30 });
  });

  it('returns done with instant false on the slice that completes the file', async () => {
    serve(ok({ session: 'sess-1', offset: 512, access_url: 'https://cdn/x', url: 'u', resource_path: '/r' }));
    await expect(createProtocolClient({ endpoint }).sendSlice(sliceReq())).resolves.toEqual({
      kind: 'done',
      session: 'sess-1',
      offset: 512,
      result: { accessUrl: 'https://cdn/x', url: 'u', resourcePath: '/r', instant: false },
    });
  });

  it('keeps the request session when the answer omits it', async () => {
    serve(ok({ offset: 512 }));
    await expect(createProtocolClient({ endpoint }).sendSlice(sliceReq())).resolves.toEqual({
      kind: 'ack',
      session: 'sess-1',
      offset: 512,
    });
  });

  it.each([
    [{ session: 'sess-1', offset: 0 }, /offset 512 was answered with offset 0/],
    [{ session: 'sess-1' }, /offset/],
    [{ session: 'other', offset: 512 }, /session/],
  ])('an answer %j that does not match the request is a bad-response', async (data, text) => {
    serve(ok(data));
    const error = await rejection(createProtocolClient({ endpoint }).sendSlice(sliceReq()));
    expect(error).toMatchObject({ kind: 'bad-response', action: 'fatal' });
    expect(error.message).toMatch(text);
  });
});

describe('failures on the wire', () => {
  it('a server code becomes the table action, with status and server message', async () => {
    serve(() => HttpResponse.json({ code: -96, message: 'ERROR_PROXY_AUTH_EXPIRED' }, { status: 200 }));
    const error = await rejection(createProtocolClient({ endpoint }).sendSlice(sliceReq()));
    expect(error).toMatchObject({ kind: 'server', code: -96, action: 'renew-signature', status: 200 });
    expect(error.serverMessage).toBe('ERROR_PROXY_AUTH_EXPIRED');
  });

  it('an HTML 503 page is a retried bad-response', async () => {
    serve(() => HttpResponse.html('<html><body>Service Unavailable</body></html>', { status: 503 }));
    const error = await rejection(createProtocolClient({ endpoint }).create(createReq()));
    expect(error).toMatchObject({ kind: 'bad-response', status: 503, action: 'retry' });
    expect(error.message).toContain('HTML page instead of JSON');
  });

  it('an empty 502 is a retried http error saying so', async () => {
    serve(() => new HttpResponse(null, { status: 502 }));
    const error = await rejection(createProtocolClient({ endpoint }).create(createReq()));
    expect(error).toMatchObject({ kind: 'http', code: 502, action: 'retry' });
    expect(error.message).toContain('empty response');
  });

  it('a rejected fetch is a network error that names CORS as a possible cause', async () => {
    serve(() => HttpResponse.error());
    const error = await rejection(createProtocolClient({ endpoint }).create(createReq()));
    expect(error).toMatchObject({ kind: 'network', code: 'network', action: 'retry' });
    expect(error.message).toContain('network error or blocked by CORS');
  });

  it('no answer within timeoutMs is a retried timeout', async () => {
    serve(async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });
    const started = Date.now();
    const error = await rejection(createProtocolClient({ endpoint, timeoutMs: 60 }).create(createReq()));
    expect(error).toMatchObject({ kind: 'timeout', code: 'timeout', action: 'retry' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a body that stalls after the headers also times out', async () => {
    serve(() => new HttpResponse(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"co')) })));
    const error = await rejection(createProtocolClient({ endpoint, timeoutMs: 60 }).create(createReq()));
    expect(error).toMatchObject({ kind: 'timeout' });
  });

  it("a slice's timeout grows with its size beyond the floor", async () => {
    serve(async () => {
      await delay(150);
      return HttpResponse.json(ok({ session: 'sess-1', offset: 0 }));
    });
    // 1000 bytes at 2000 B/s: 500 ms allowed, although the floor is 50 ms.
    const client = createProtocolClient({ endpoint, timeoutMs: 50, minBytesPerSecond: 2000 });
    await expect(client.sendSlice(sliceReq({ offset: 0, body: new Blob([new Uint8Array(1000)]) }))).resolves.toMatchObject({
      kind: 'ack',
    });
    const tiny = await rejection(client.sendSlice(sliceReq({ offset: 0, body: new Blob([new Uint8Array(10)]) })));
    expect(tiny.kind).toBe('timeout');
  });

  it('sliceTimeoutMs: 60 s floor, 256 s for 16 MiB at 64 KiB/s', () => {
    expect(sliceTimeoutMs(1024 * 1024, 60_000, 65536)).toBe(60_000);
    expect(sliceTimeoutMs(16 * 1024 * 1024, 60_000, 65536)).toBe(256_000);
  });

  it("the caller's abort is an aborted error, not a timeout or network error", async () => {
    serve(async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });
    const controller = new AbortController();
    const pending = createProtocolClient({ endpoint }).sendSlice(sliceReq({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(pending);
    expect(error).toMatchObject({ kind: 'aborted', code: 'aborted', retryable: false });
  });

  it('an already aborted signal sends nothing', async () => {
    serve(ok({}));
    const error = await rejection(
      createProtocolClient({ endpoint }).create(createReq({ signal: AbortSignal.abort() })),
    );
    expect(error.kind).toBe('aborted');
    expect(captured).toHaveLength(0);
  });

  it.each([
    ['empty', ''],
    ['non-ASCII', 'sigé'],
    ['with a line break', 'abc\ndef'],
  ])('an %s signature is a signature error to renew, and nothing is sent', async (_label, signature) => {
    serve(ok({}));
    const error = await rejection(createProtocolClient({ endpoint }).create(createReq({ signature })));
    expect(error).toMatchObject({ kind: 'signature', code: 'invalid-signature', action: 'renew-signature' });
    expect(captured).toHaveLength(0);
  });

  it('uses the fetch it is given', async () => {
    const fake = vi.fn(async () => Response.json(ok({ session: 's', offset: 0, slice_size: 5 })));
    await createProtocolClient({ endpoint, fetch: fake }).create(createReq());
    expect(fake).toHaveBeenCalledTimes(1);
    expect(captured).toHaveLength(0);
  });
});
