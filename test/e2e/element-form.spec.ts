// <vod-uploader> in a form: submission is blocked while an upload runs, the value is the finished
// uploads' resource paths (one entry each), `required` wants one, and a form reset clears the list.
import { randomBytes } from 'node:crypto';
import type { VodUploaderElement } from '../../src/index.js';
import { expect, test, uniqueName } from './helpers/server.js';
import { choose, openElementPage } from './helpers/element-page.js';

test('a form is not sent while uploading, and carries every finished resource path after', async ({ page, server }) => {
  server.setFaults({ delayMs: 300 });
  const host = await openElementPage(page, server, { dir: 'form' });
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
