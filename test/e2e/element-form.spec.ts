// <vod-uploader> in a form: submission is blocked while an upload runs, the value is the finished
// uploads' resource paths (one entry each), `required` wants one, a form reset clears the finished
// rows and the value but never a running upload, and `dir` is HTML's text direction, not the folder.
import { randomBytes } from 'node:crypto';
import type { VodUploaderElement } from '../../src/index.js';
import { expect, test, uniqueName } from './helpers/server.js';
import { choose, openElementPage, recordedEvents, sha1 } from './helpers/element-page.js';

test('a form is not sent while uploading, and carries every finished resource path after', async ({ page, server }) => {
  server.setFaults({ delayMs: 300 });
  const host = await openElementPage(page, server, { folder: 'form' });
  const first = uniqueName('form-a');
  const second = uniqueName('form-b');
  await choose(page, [
    { name: first, buffer: randomBytes(6 * server.sliceSize) },
    { name: second, buffer: randomBytes(1000) },
  ]);
  await expect(host.locator('[part=file]').first()).toHaveAttribute('data-status', /hashing|uploading|queued/);
  await page.getByRole('button', { name: 'Save' }).click();
  expect(await page.evaluate(() => window.vodSubmissions.length)).toBe(0);
  const validity = await host.evaluate((el: VodUploaderElement) => {
    const form = el.closest('form')!;
    return { valid: form.checkValidity(), message: el.validationMessage, custom: el.validity.customError };
  });
  expect(validity).toEqual({ valid: false, message: 'An upload is still running.', custom: true });

  server.setFaults({});
  await expect(host.locator('[part=file][data-status=done]')).toHaveCount(2);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#submitted')).toHaveText('Submitted 2');
  const sent = await page.evaluate(() => window.vodSubmissions[0]);
  expect(sent!.sort()).toEqual([`/form/${first}`, `/form/${second}`].sort());

  // A form reset empties the list and the value.
  await page.evaluate(() => (document.getElementById('form') as HTMLFormElement).reset());
  await expect(host.locator('[part=file]')).toHaveCount(0);
  const afterReset = await page.evaluate(() => new FormData(document.getElementById('form') as HTMLFormElement).getAll('videos'));
  expect(afterReset).toEqual([]);
});

test('required: the form wants a finished upload; disabled via fieldset stops choosing', async ({ page, server }) => {
  const host = await openElementPage(page, server, { 'attr-required': '' });
  expect(await page.evaluate(() => (document.getElementById('form') as HTMLFormElement).checkValidity())).toBe(false);
  await choose(page, [{ name: uniqueName('req'), buffer: randomBytes(2000) }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');
  expect(await page.evaluate(() => (document.getElementById('form') as HTMLFormElement).checkValidity())).toBe(true);

  await page.evaluate(() => {
    const fieldset = document.createElement('fieldset');
    const uploader = document.querySelector('vod-uploader')!;
    uploader.before(fieldset);
    fieldset.append(uploader);
    fieldset.disabled = true;
  });
  await expect(host.locator('[part=input]')).toBeDisabled();
  await expect(host.locator('[part=dropzone]')).toContainText('Uploading is disabled.');
});

test('a reset button mid-upload clears the finished rows and the value; the running upload goes on and finishes', async ({ page, server }) => {
  const host = await openElementPage(page, server, { folder: 'form-reset' });
  const small = uniqueName('reset-done');
  await choose(page, [{ name: small, buffer: randomBytes(1000) }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');

  server.setFaults({ delayMs: 250 });
  const big = uniqueName('reset-running');
  const bytes = randomBytes(16 * server.sliceSize);
  await choose(page, [{ name: big, buffer: bytes }]);
  const running = host.locator('[part=file]', { hasText: big });
  await expect(running).toHaveAttribute('data-status', 'uploading');
  await expect.poll(() => server.stats.paths[`/form-reset/${big}`]?.bytesReceived ?? 0).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(host.locator('[part=file]', { hasText: small })).toHaveCount(0);
  await expect(running).toHaveAttribute('data-status', 'uploading');
  const value = () => page.evaluate(() => new FormData(document.getElementById('form') as HTMLFormElement).getAll('videos'));
  expect(await value()).toEqual([]);

  server.setFaults({});
  await expect(running).toHaveAttribute('data-status', 'done');
  expect(server.stats.paths[`/form-reset/${big}`]!.sha).toBe(sha1(bytes));
  expect((await recordedEvents(page)).filter((e) => e.type === 'vod-upload-cancel')).toEqual([]);
  expect(await value()).toEqual([`/form-reset/${big}`]);
});

test('dir is HTML\'s text direction: dir="rtl" does not pick the upload folder, folder does', async ({ page, server }) => {
  const host = await openElementPage(page, server, { 'attr-dir': 'rtl' });
  expect(await host.evaluate((el: VodUploaderElement) => ({ dir: el.dir, folder: el.folder, rtl: el.matches(':dir(rtl)') }))).toEqual({
    dir: 'rtl',
    folder: '',
    rtl: true,
  });
  const first = uniqueName('rtl-root');
  await choose(page, [{ name: first, buffer: randomBytes(1000) }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');
  expect(server.stats.completedFiles.map((f) => f.path)).toContain(`/${first}`);

  await host.evaluate((el: VodUploaderElement) => el.setAttribute('folder', 'chosen/here'));
  const second = uniqueName('rtl-folder');
  await choose(page, [{ name: second, buffer: randomBytes(1000) }]);
  await expect(host.locator('[part=file]', { hasText: second })).toHaveAttribute('data-status', 'done');
  expect(server.stats.completedFiles.map((f) => f.path)).toContain(`/chosen/here/${second}`);
  expect(await host.evaluate((el: VodUploaderElement) => el.dir)).toBe('rtl');
});

test('value is the finished resource paths: input then change when it changes (not on choosing), value = "" resets', async ({ page, server }) => {
  const host = await openElementPage(page, server, { folder: 'form-value' });
  await host.evaluate((el: VodUploaderElement) => {
    const seen: Array<{ type: string; value: string; composed: boolean; fromHost: boolean }> = [];
    (window as unknown as { valueEvents: typeof seen }).valueEvents = seen;
    for (const type of ['input', 'change']) {
      document.addEventListener(type, (e) => seen.push({ type, value: el.value, composed: e.composed, fromHost: e.target === el }));
    }
  });
  const events = () => page.evaluate(() => (window as unknown as { valueEvents: unknown[] }).valueEvents.splice(0));
  const first = uniqueName('value-a');
  await choose(page, [{ name: first, buffer: randomBytes(3 * server.sliceSize) }]);
  await expect(host.locator('[part=file]')).toHaveAttribute('data-status', 'done');
  const one = `/form-value/${first}`;
  // Choosing the file fired nothing at the page (the inner input's composed `input` stays inside).
  expect(await events()).toEqual([
    { type: 'input', value: one, composed: true, fromHost: true },
    { type: 'change', value: one, composed: false, fromHost: true },
  ]);

  const second = uniqueName('value-b');
  await choose(page, [{ name: second, buffer: randomBytes(1000) }]);
  await expect(host.locator('[part=file][data-status=done]')).toHaveCount(2);
  const both = `${one}\n/form-value/${second}`;
  expect(await events()).toEqual([
    { type: 'input', value: both, composed: true, fromHost: true },
    { type: 'change', value: both, composed: false, fromHost: true },
  ]);

  // Writing back any other value changes nothing; '' does what a form reset does.
  await host.evaluate((el: VodUploaderElement) => (el.value = '/somewhere/else.mp4'));
  expect(await host.evaluate((el: VodUploaderElement) => el.value)).toBe(both);
  await host.evaluate((el: VodUploaderElement) => (el.value = ''));
  await expect(host.locator('[part=file]')).toHaveCount(0);
  expect(await events()).toEqual([
    { type: 'input', value: '', composed: true, fromHost: true },
    { type: 'change', value: '', composed: false, fromHost: true },
  ]);
});
