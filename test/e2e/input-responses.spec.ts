// Answers a real upload server should never give, end to end: an HTML page, a 404, JSON without a
// `code`, an empty 502, and a server on another origin that sends no CORS headers. Each ends in a
// clear message in the row AND in a vod-upload-error event (after retries for the transient ones),
// while another upload to the real server, running at the same time, finishes.
// page.route() answers only the bad file's URL, so the other upload talks to the real server.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page, Route } from '@playwright/test';
import { expect, test, uniqueName, type TestServer } from './helpers/server.js';
import { choose, openElementPage, recordUploadErrors, sha1, uploadErrors, type UploadErrorRecord } from './helpers/element-page.js';

const errorOf = async (page: Page, name: string): Promise<UploadErrorRecord | undefined> =>
  (await uploadErrors(page, 'vod-upload-error')).find((e) => e.name === name);
const retriesOf = async (page: Page, name: string): Promise<string[]> =>
  (await uploadErrors(page, 'vod-upload-retry')).filter((r) => r.name === name).map((r) => r.message);

/** A bigger upload to the real server, started now; the returned check waits for it and its sha. */
async function companion(page: Page, server: TestServer): Promise<() => Promise<void>> {
  const name = uniqueName('companion');
  const bytes = randomBytes(6 * server.sliceSize + 5);
  await choose(page, [{ name, buffer: bytes }]);
  return async () => {
    await expect(page.locator('vod-uploader [part=file]', { hasText: name })).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
    expect(server.stats.completedFiles.find((f) => f.path === `/${name}`)?.sha).toBe(sha1(bytes));
  };
}

const cors = { 'access-control-allow-origin': '*' };

const fatalAnswers: Array<{ label: string; answer: Parameters<Route['fulfill']>[0]; row: RegExp; event: RegExp; code: string | number }> = [
  {
    label: 'html',
    answer: { status: 200, contentType: 'text/html', headers: cors, body: '<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>' },
    row: /^The upload failed: The upload server answered HTTP 200 with an HTML page instead of JSON; check the endpoint\. \(code bad-response\)$/,
    event: /HTML page instead of JSON/,
    code: 'bad-response',
  },
  {
    label: 'not-found',
    answer: { status: 404, contentType: 'text/plain', headers: cors, body: 'Not Found' },
    row: /^The upload failed: The upload server answered HTTP 404: Not Found \(code 404\)$/,
    event: /HTTP 404/,
    code: 404,
  },
  {
    label: 'no-code',
    answer: { status: 200, contentType: 'application/json', headers: cors, body: '{"message":"ok","data":{"session":"s"}}' },
    row: /^The upload failed: The upload server sent JSON without a numeric "code" \(HTTP 200\).*\(code bad-response\)$/,
    event: /without a numeric "code"/,
    code: 'bad-response',
  },
];

test('an HTML page, a 404, JSON without code: a terminal error in plain words; the other upload finishes', async ({ page, server }) => {
  await recordUploadErrors(page);
  const stamp = uniqueName('r', '');
  for (const { label, answer } of fatalAnswers) {
    await page.route(`**/files/v1/**/bad-${label}-${stamp}.mp4`, (route) => route.fulfill(answer));
  }
  server.setFaults({ delayMs: 150 });
  const host = await openElementPage(page, server);
  const done = await companion(page, server);
  await choose(
    page,
    fatalAnswers.map(({ label }) => ({ name: `bad-${label}-${stamp}.mp4`, buffer: randomBytes(2 * server.sliceSize) })),
  );
  for (const { label, row, event, code } of fatalAnswers) {
    const name = `bad-${label}-${stamp}.mp4`;
    const item = host.locator('[part=file]', { hasText: name });
    await expect(item, label).toHaveAttribute('data-status', 'error');
    await expect(item.locator('[part=status]'), label).toHaveText(row);
    await expect(item.getByRole('button', { name: /^Retry/ })).toHaveCount(0);
    const error = await errorOf(page, name);
    expect(error, label).toMatchObject({ code, retryable: false });
    expect(error!.message).toMatch(event);
    // A broken endpoint is not "retried" in the background.
    expect(await retriesOf(page, name)).toEqual([]);
  }
  server.setFaults({});
  await done();
});

test.describe('transient trouble that never ends', () => {
  let noCors: Server;
  let noCorsUrl = '';
  let noCorsHits = 0;
  test.beforeAll(async () => {
    // Answers like a protocol server but sends no Access-Control-* header: the browser refuses to
    // let the page read it (the preflight of the Authorization header already fails).
    noCors = createServer((req, res) => {
      noCorsHits++;
      req.resume();
      req.on('end', () => {
        res.writeHead(req.method === 'OPTIONS' ? 204 : 200, { 'content-type': 'application/json' });
        res.end(req.method === 'OPTIONS' ? '' : '{"code":0,"message":"SUCCESS","data":{"session":"x","offset":0,"slice_size":1024}}');
      });
    });
    await new Promise<void>((done) => noCors.listen(0, '127.0.0.1', done));
    noCorsUrl = `http://127.0.0.1:${(noCors.address() as AddressInfo).port}`;
  });
  test.afterAll(async () => {
    noCors.closeAllConnections();
    await new Promise((done) => noCors.close(done));
  });

  test('an empty 502 and a server without CORS headers: "retrying", then an error in plain words; the other upload finishes', async ({ page, server }) => {
    test.setTimeout(120_000);
    await recordUploadErrors(page);
    // Backoff waits up to 30 s a step: a fake clock (running at real speed until fast-forwarded).
    await page.clock.install();
    const name502 = uniqueName('bad-502');
    await page.route(`**/files/v1/**/${name502}`, (route) => route.fulfill({ status: 502, headers: cors, body: '' }));
    const host = await openElementPage(page, server);
    const done = await companion(page, server);
    await choose(page, [{ name: name502, buffer: randomBytes(2 * server.sliceSize) }]);

    // A second uploader on the page, pointed at the server without CORS.
    const nameCors = uniqueName('bad-cors');
    await page.evaluate(
      ({ endpoint, signatureUrl, appid, bucket }) => {
        const second = document.createElement('vod-uploader');
        second.id = 'second';
        second.setAttribute('endpoint', endpoint);
        second.setAttribute('signature-url', signatureUrl);
        second.setAttribute('appid', appid);
        second.setAttribute('bucket', bucket);
        document.body.append(second);
      },
      { endpoint: `${noCorsUrl}/files/v1`, signatureUrl: server.signatureUrl, appid: server.appid, bucket: server.bucket },
    );
    await page.locator('#second [part=input]').setInputFiles({ name: nameCors, mimeType: 'video/mp4', buffer: randomBytes(3000) });

    const row502 = host.locator('[part=file]', { hasText: name502 });
    const rowCors = page.locator('#second [part=file]', { hasText: nameCors });
    await expect(row502).toHaveAttribute('data-status', 'retrying');
    await expect(row502.locator('[part=status]')).toHaveText(/^Retrying in \d+ seconds? \(code 502\)$/);
    await expect(rowCors).toHaveAttribute('data-status', 'retrying');
    await expect.poll(() => noCorsHits).toBeGreaterThan(0);
    // The other upload finishes meanwhile (before the clock is fast-forwarded).
    await done();

    await expect
      .poll(
        async () => {
          await page.clock.fastForward(31_000);
          return [await row502.getAttribute('data-status'), await rowCors.getAttribute('data-status')].join();
        },
        { timeout: 60_000 },
      )
      .toBe('error,error');
    // Plain words (the exact sentence is the element's to choose), then the HTTP status as the code.
    await expect(row502.locator('[part=status]')).toHaveText(/^[A-Z][^(]+\. \(code 502\)$/);
    await expect(rowCors.locator('[part=status]')).toHaveText('The connection to the upload server failed. (code network)');
    // Still worth a try later (the server or the network may be back): Retry is offered.
    await expect(row502.getByRole('button', { name: `Retry ${name502}` })).toBeVisible();

    const e502 = await errorOf(page, name502);
    expect(e502).toMatchObject({ code: 502, kind: 'http', retryable: true });
    expect(e502!.message).toMatch(/Gave up after \d+ retries.*HTTP 502/);
    const eCors = await errorOf(page, nameCors);
    expect(eCors).toMatchObject({ code: 'network', kind: 'network', retryable: true });
    expect(eCors!.message).toMatch(/blocked by CORS/);
    expect((await retriesOf(page, name502)).length).toBeGreaterThan(1);
    expect((await retriesOf(page, nameCors)).length).toBeGreaterThan(1);
  });
});
