// The signer: URL and function sources, checking what they answer, the in-memory cache, renewal
// ahead of expiry measured on the signer's clock, coalescing, renewal after a refusal, and aborts.
import { readFileSync } from 'node:fs';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UploadError } from '../../src/engine/errors.js';
import type { SignatureContext } from '../../src/engine/types.js';
import { buildPlainText, bytesToBase64 } from '../../src/protocol/signature-format.js';
import { createSigner } from '../../src/protocol/signature.js';
import { signUploadSignature } from '../../src/signer/index.js';

const scope = { appid: '200001', bucket: 'newbucket', path: 'videos/我的 clip #1.mp4' };
const T0 = 1_800_000_000; // the signer's clock, Unix seconds

/** A real signature made by the project's server-side signer, signed at `t` for `lifetime` s. */
function sign(t = T0, lifetime = 1000, over: { appid?: string; bucket?: string } = {}): Promise<string> {
  return signUploadSignature({
    appid: over.appid ?? scope.appid,
    bucket: over.bucket ?? scope.bucket,
    secretId: 'AKIDtest',
    secretKey: 'test-secret-key',
    now: t * 1000,
    expiresInSeconds: lifetime,
    random: 12345,
  });
}

/** A function source that counts its calls and answers from a queue of signatures. */
function scripted(...answers: Array<string | Promise<string> | Error>) {
  const calls: SignatureContext[] = [];
  const source = vi.fn(async (ctx: SignatureContext) => {
    calls.push(ctx);
    const next = answers.length > 1 ? answers.shift() : answers[0];
    if (next instanceof Error) throw next;
    return next as string;
  });
  return { source, calls };
}

async function rejection(promise: Promise<unknown>): Promise<UploadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UploadError);
  return error as UploadError;
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllGlobals();
});
afterAll(() => server.close());

describe('URL source', () => {
  it('GETs the URL with appid, bucket and path added to its own query, and reads a text body', async () => {
    const sig = await sign();
    const seen: Request[] = [];
    server.use(
      http.get('https://app.test/api/sign', ({ request }) => {
        seen.push(request);
        return HttpResponse.text(`${sig}\n`);
      }),
    );
    const signer = createSigner({ source: 'https://app.test/api/sign?token=abc&appid=wrong', now: () => T0 * 1000 });
    await expect(signer.get(scope)).resolves.toBe(sig);
    const url = new URL(seen[0].url);
    expect(url.searchParams.get('token')).toBe('abc');
    expect(url.searchParams.getAll('appid')).toEqual(['200001']);
    expect(url.searchParams.get('bucket')).toBe('newbucket');
    expect(url.searchParams.get('path')).toBe('videos/我的 clip #1.mp4');
    expect(seen[0].headers.get('accept')).toBe('text/plain, application/json');
  });

  it("sends the page's cookies only to its own origin (credentials same-origin)", async () => {
    const sig = await sign();
    const fake = vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response(sig));
    await createSigner({ source: 'https://app.test/sign', fetch: fake, now: () => T0 * 1000 }).get(scope);
    expect(fake.mock.calls[0][1]).toMatchObject({ method: 'GET', credentials: 'same-origin' });
  });

  it.each([
    ['JSON object', (s: string) => HttpResponse.json({ signature: s })],
    ['JSON string', (s: string) => HttpResponse.json(s)],
    ['JSON without a content type', (s: string) => new HttpResponse(JSON.stringify({ signature: s }))],
    ['JSON data envelope', (s: string) => HttpResponse.json({ code: 0, data: { signature: s } })],
    ['plain text labelled as JSON', (s: string) => new HttpResponse(s, { headers: { 'Content-Type': 'application/json' } })],
  ])('reads a %s body', async (_label, respond) => {
    const sig = await sign();
    server.use(http.get('https://app.test/sign', () => respond(sig)));
    await expect(createSigner({ source: 'https://app.test/sign', now: () => T0 * 1000 }).get(scope)).resolves.toBe(sig);
  });

  it('resolves a relative URL against the page', async () => {
    const sig = await sign();
    vi.stubGlobal('location', { href: 'https://app.test/upload/page.html' });
    server.use(http.get('https://app.test/sign', () => HttpResponse.text(sig)));
    await expect(createSigner({ source: '/sign', now: () => T0 * 1000 }).get(scope)).resolves.toBe(sig);
  });

  it.each([
    ['an HTML page', () => HttpResponse.html('<!doctype html><title>Login</title>'), /HTML page/],
    ['HTTP 403 with text', () => HttpResponse.text('not logged in', { status: 403 }), /HTTP 403 from the signature endpoint: not logged in/],
    ['HTTP 500 with an HTML page', () => HttpResponse.html('<html>oops</html>', { status: 500 }), /HTTP 500 .*HTML page/],
    ['garbage', () => HttpResponse.text('hello world'), /not a valid signature/],
    ['an empty body', () => HttpResponse.text(''), /empty/],
    ['JSON without a signature', () => HttpResponse.json({ sig: 'x' }), /without a "signature"/],
    ['a network error', () => HttpResponse.error(), /Could not reach the signature endpoint/],
  ])('%s is a retryable signature error saying what was wrong', async (_label, respond, text) => {
    server.use(http.get('https://app.test/sign', respond));
    const error = await rejection(createSigner({ source: 'https://app.test/sign', now: () => T0 * 1000 }).get(scope));
    expect(error).toMatchObject({ kind: 'signature', action: 'retry' });
    expect(error.message).toMatch(text);
  });

  it('an endpoint that does not answer times out as a signature error', async () => {
    server.use(
      http.get('https://app.test/sign', async () => {
        await delay('infinite');
        return HttpResponse.text('');
      }),
    );
    const signer = createSigner({ source: 'https://app.test/sign', timeoutMs: 50 });
    const error = await rejection(signer.get(scope));
    expect(error).toMatchObject({ kind: 'signature', action: 'retry' });
    expect(error.message).toMatch(/did not answer/);
  });

  it('a relative URL with no page to resolve it is a fatal configuration error', async () => {
    const error = await rejection(createSigner({ source: '/sign' }).get(scope));
    expect(error).toMatchObject({ kind: 'signature', action: 'fatal' });
  });
});

describe('function source and checks', () => {
  it('calls the function with the scope and reason initial', async () => {
    const { source, calls } = scripted(await sign());
    await createSigner({ source, now: () => T0 * 1000 }).get(scope);
    expect(calls).toEqual([{ ...scope, reason: 'initial', signal: expect.any(AbortSignal) }]);
  });

  it('asks once more for a signature of another appid or bucket, then stops with a fatal error', async () => {
    for (const other of [{ appid: '999' }, { bucket: 'otherbucket' }]) {
      const { source, calls } = scripted(await sign(T0, 1000, other));
      const error = await rejection(createSigner({ source, now: () => T0 * 1000 }).get(scope));
      expect(error).toMatchObject({ kind: 'signature', action: 'fatal', retryable: false });
      expect(error.message).toMatch(/not for appid 200001 and bucket newbucket.*Asked again.*signing backend/);
      expect(calls.map((c) => c.reason)).toEqual(['initial', 'rejected']);
    }
  });

  it('a wrong signature once, then a right one: the renewal is used', async () => {
    const good = await sign();
    const { source, calls } = scripted(await sign(T0, 1000, { bucket: 'otherbucket' }), good);
    await expect(createSigner({ source, now: () => T0 * 1000 }).get(scope)).resolves.toBe(good);
    expect(calls.map((c) => c.reason)).toEqual(['initial', 'rejected']);
  });

  it('refuses a single-use signature (e=0) after asking once more', async () => {
    const plain = buildPlainText({ a: scope.appid, k: 'AKID', e: 0, t: T0, r: '1', f: '/200001/newbucket/x', b: scope.bucket });
    const single = bytesToBase64(new Uint8Array([...new Uint8Array(20), ...new TextEncoder().encode(plain)]));
    const { source, calls } = scripted(single);
    const error = await rejection(createSigner({ source }).get(scope));
    expect(error).toMatchObject({ action: 'fatal' });
    expect(error.message).toMatch(/single-use/);
    expect(calls).toHaveLength(2);
  });

  it("passes ctx.signal, aborted once every caller waiting for the signature gave up", async () => {
    let answer!: (s: string) => void;
    const { source, calls } = scripted(new Promise<string>((resolve) => (answer = resolve)));
    const signer = createSigner({ source, now: () => T0 * 1000 });
    const first = new AbortController();
    const second = new AbortController();
    const a = signer.get(scope, first.signal);
    const b = signer.get(scope, second.signal);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    const signal = calls[0]!.signal!;
    first.abort();
    await expect(a).rejects.toMatchObject({ kind: 'aborted' });
    expect(signal.aborted).toBe(false); // the second caller still waits
    second.abort();
    await expect(b).rejects.toMatchObject({ kind: 'aborted' });
    expect(signal.aborted).toBe(true);
    answer(await sign());
  });

  it('ctx.signal is also aborted when the source times out', async () => {
    const { source, calls } = scripted(new Promise<string>(() => undefined));
    await rejection(createSigner({ source, timeoutMs: 30 }).get(scope));
    expect(calls[0]!.signal!.aborted).toBe(true);
  });

  it('a throwing function or a non-string answer is a signature error', async () => {
    const throwing = createSigner({ source: () => Promise.reject(new Error('backend down')) });
    expect((await rejection(throwing.get(scope))).message).toMatch(/signature function failed: backend down/);
    const numeric = createSigner({ source: () => 42 as unknown as string });
    expect(await rejection(numeric.get(scope))).toMatchObject({ kind: 'signature', action: 'retry' });
  });

  it('a function that never answers times out as a signature error', async () => {
    const signer = createSigner({ source: () => new Promise<string>(() => undefined), timeoutMs: 30 });
    const error = await rejection(signer.get(scope));
    expect(error).toMatchObject({ kind: 'signature', action: 'retry' });
    expect(error.message).toMatch(/did not answer within 30 ms/);
  });

  it('does not cache a failure: the next get asks again', async () => {
    const good = await sign();
    const { source } = scripted(new Error('flaky'), good);
    const signer = createSigner({ source, now: () => T0 * 1000 });
    await rejection(signer.get(scope));
    await expect(signer.get(scope)).resolves.toBe(good);
    expect(source).toHaveBeenCalledTimes(2);
  });
});

describe('cache, coalescing and renewal', () => {
  it('concurrent gets share exactly one request; later gets use the cache', async () => {
    let requests = 0;
    const sig = await sign();
    server.use(
      http.get('https://app.test/sign', async () => {
        requests++;
        await delay(20);
        return HttpResponse.text(sig);
      }),
    );
    const signer = createSigner({ source: 'https://app.test/sign', now: () => T0 * 1000 });
    const all = await Promise.all([signer.get(scope), signer.get(scope), signer.get(scope)]);
    expect(all).toEqual([sig, sig, sig]);
    await signer.get(scope);
    expect(requests).toBe(1);
  });

  it('keeps one signature per scope', async () => {
    const { source, calls } = scripted(await sign());
    const signer = createSigner({ source, now: () => T0 * 1000 });
    await Promise.all([signer.get(scope), signer.get({ ...scope, path: 'other.mp4' })]);
    expect(calls.map((c) => c.path).sort()).toEqual(['other.mp4', scope.path]);
  });

  it.each([
    ['ahead of', 3_600_000],
    ['behind', -3_600_000],
  ])('renews at 0.8 of the lifetime when the local clock is an hour %s the signer', async (_label, skewMs) => {
    // Signed at T0 for 1000 s; this browser's clock reads T0 + skew at receipt.
    let local = T0 * 1000 + skewMs;
    const first = await sign(T0, 1000);
    const second = await sign(T0 + 800, 1000);
    const { source, calls } = scripted(first, second);
    const signer = createSigner({ source, now: () => local });
    expect(await signer.get(scope)).toBe(first);
    local += 799_000;
    expect(await signer.get(scope)).toBe(first);
    expect(calls).toHaveLength(1);
    local += 1_000;
    expect(await signer.get(scope)).toBe(second);
    expect(calls.map((c) => c.reason)).toEqual(['initial', 'expiring']);
  });

  it('counts on no more life than the signature surely has: t is whole seconds, signed up to 1 s after it', async () => {
    // Same clock as the signer; received 0.9 s after t. The server refuses it from second e on, so
    // at e it must not be sent: a lifetime counted from t would renew only at t + 2.4 s + 0.9 s.
    let local = T0 * 1000 + 900;
    const first = await sign(T0, 3);
    const second = await sign(T0 + 3, 3);
    const { source, calls } = scripted(first, second);
    const signer = createSigner({ source, now: () => local });
    expect(await signer.get(scope)).toBe(first);
    local = (T0 + 3) * 1000;
    expect(await signer.get(scope)).toBe(second);
    expect(calls.map((c) => c.reason)).toEqual(['initial', 'expiring']);
  });

  it('honours renewAt', async () => {
    let local = T0 * 1000;
    const { source, calls } = scripted(await sign(T0, 1000));
    const signer = createSigner({ source, now: () => local, renewAt: 0.5 });
    await signer.get(scope);
    local += 499_000;
    await signer.get(scope);
    local += 1_000;
    await signer.get(scope);
    expect(calls.map((c) => c.reason)).toEqual(['initial', 'expiring']);
  });

  it('keeps using a still-valid signature when an early renewal fails, and fails once it expired', async () => {
    let local = T0 * 1000;
    const first = await sign(T0, 1000);
    const { source } = scripted(first, new Error('down'));
    const signer = createSigner({ source, now: () => local });
    await signer.get(scope);
    local += 900_000;
    await expect(signer.get(scope)).resolves.toBe(first);
    expect(source).toHaveBeenCalledTimes(2);
    // Not on every slice: the source is asked again only after a pause of 10 s.
    local += 5_000;
    await expect(signer.get(scope)).resolves.toBe(first);
    expect(source).toHaveBeenCalledTimes(2);
    local += 5_000;
    await expect(signer.get(scope)).resolves.toBe(first);
    expect(source).toHaveBeenCalledTimes(3);
    local += 90_000;
    expect((await rejection(signer.get(scope))).kind).toBe('signature');
  });

  it('joins a signature wrapped into Base64 lines', async () => {
    const sig = await sign();
    const wrapped = `${sig.slice(0, 20)}\r\n${sig.slice(20, 40)}\n${sig.slice(40)}\n`;
    const { source } = scripted(wrapped);
    await expect(createSigner({ source, now: () => T0 * 1000 }).get(scope)).resolves.toBe(sig);
  });

  it('renew after a refusal asks once for all callers reporting the same signature', async () => {
    const first = await sign(T0, 1000);
    const second = await sign(T0 + 1, 1000);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { source, calls } = scripted(first, gate.then(() => second));
    const signer = createSigner({ source, now: () => T0 * 1000 });
    await signer.get(scope);
    const renewals = [signer.renew(scope, first), signer.renew(scope, first), signer.renew(scope, first)];
    // While the renewal is on its way, get() must not hand out the refused signature.
    const getting = signer.get(scope);
    release();
    expect(await Promise.all([...renewals, getting])).toEqual([second, second, second, second]);
    expect(calls.map((c) => c.reason)).toEqual(['initial', 'rejected']);
    // A slow caller reporting the old signature later gets the new one without another request.
    await expect(signer.renew(scope, first)).resolves.toBe(second);
    expect(calls).toHaveLength(2);
  });

  it('renew does not hand out a cached signature that has expired meanwhile', async () => {
    let local = T0 * 1000;
    const first = await sign(T0, 100);
    const fresh = await sign(T0 + 200, 100);
    const { source, calls } = scripted(first, fresh);
    const signer = createSigner({ source, now: () => local });
    await signer.get(scope);
    local += 150_000;
    await expect(signer.renew(scope, 'an-older-refused-signature')).resolves.toBe(fresh);
    expect(calls.map((c) => c.reason)).toEqual(['initial', 'rejected']);
  });

  it('renew with nothing cached asks with reason rejected', async () => {
    const { source, calls } = scripted(await sign());
    await createSigner({ source, now: () => T0 * 1000 }).renew(scope, 'some-old-signature');
    expect(calls.map((c) => c.reason)).toEqual(['rejected']);
  });
});

describe('aborts', () => {
  it("one caller's abort rejects that caller only; the shared request goes on for the others", async () => {
    const sig = await sign();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { source } = scripted(gate.then(() => sig));
    const signer = createSigner({ source, now: () => T0 * 1000 });
    const controller = new AbortController();
    const aborted = signer.get(scope, controller.signal);
    const other = signer.get(scope);
    controller.abort();
    expect(await rejection(aborted)).toMatchObject({ kind: 'aborted' });
    release();
    await expect(other).resolves.toBe(sig);
    expect(source).toHaveBeenCalledTimes(1);
  });

  it('an already aborted signal asks nothing', async () => {
    const { source } = scripted(await sign());
    const signer = createSigner({ source });
    expect((await rejection(signer.get(scope, AbortSignal.abort()))).kind).toBe('aborted');
    expect((await rejection(signer.renew(scope, 'x', AbortSignal.abort()))).kind).toBe('aborted');
    expect(source).not.toHaveBeenCalled();
  });
});

describe('never persisted', () => {
  it('the signer modules reference no storage API at all', () => {
    for (const file of ['signature.ts', 'signature-source.ts', 'signature-format.ts']) {
      const text = readFileSync(new URL(`../../src/protocol/${file}`, import.meta.url), 'utf8');
      expect(text, file).not.toMatch(/localStorage|sessionStorage|indexedDB|idb-keyval|document\.cookie|caches\./);
    }
  });

  it('touches no storage while getting and renewing', async () => {
    const touched: string[] = [];
    const spy = (name: string) =>
      new Proxy(
        {},
        {
          get: (_t, prop) => {
            touched.push(`${name}.${String(prop)}`);
            return () => undefined;
          },
          set: (_t, prop) => {
            touched.push(`${name}.${String(prop)}=`);
            return true;
          },
        },
      );
    for (const name of ['localStorage', 'sessionStorage', 'indexedDB', 'caches', 'document']) {
      vi.stubGlobal(name, spy(name));
    }
    const first = await sign();
    const { source } = scripted(first, await sign(T0 + 1));
    const signer = createSigner({ source, now: () => T0 * 1000 });
    await signer.get(scope);
    await signer.renew(scope, first);
    expect(touched).toEqual([]);
  });
});
