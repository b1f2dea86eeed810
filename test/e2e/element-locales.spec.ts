// Every built-in language renders a whole upload, whatever form the tag takes: `zh_CN` as Chinese
// sites write it, regions that mean Traditional Chinese, and tags that are no tag at all (English),
// set on <html> or on the element. No tag may throw in render() (the list would never appear).
import { randomBytes } from 'node:crypto';
import type { VodUploaderStrings } from '../../src/element/i18n.js';
import { en } from '../../src/element/locales/en.js';
import ja from '../../src/element/locales/ja.js';
import ko from '../../src/element/locales/ko.js';
import zhCN from '../../src/element/locales/zh-cn.js';
import zhTW from '../../src/element/locales/zh-tw.js';
import { expect, test, uniqueName } from './helpers/server.js';
import { choose, openElementPage } from './helpers/element-page.js';

const cases: Array<{ where: 'html' | 'element'; tag: string; strings: VodUploaderStrings; lang: string }> = [
  { where: 'html', tag: 'zh_CN', strings: zhCN, lang: 'zh-CN' },
  { where: 'element', tag: 'zh_CN', strings: zhCN, lang: 'zh-CN' },
  { where: 'html', tag: 'zh-TW', strings: zhTW, lang: 'zh-TW' },
  { where: 'html', tag: 'zh-HK', strings: zhTW, lang: 'zh-HK' },
  { where: 'element', tag: 'zh-Hant', strings: zhTW, lang: 'zh-Hant' },
  { where: 'html', tag: 'ja', strings: ja, lang: 'ja' },
  { where: 'element', tag: 'ja_JP', strings: ja, lang: 'ja-JP' },
  { where: 'html', tag: 'ko', strings: ko, lang: 'ko' },
  { where: 'html', tag: 'x_!!', strings: en, lang: 'en' },
  { where: 'element', tag: 'x_!!', strings: en, lang: 'en' },
];

for (const { where, tag, strings, lang } of cases) {
  test(`lang="${tag}" on ${where === 'html' ? '<html>' : 'the element'}: a full upload in its language`, async ({ page, server }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // A 404 is reported by URL below (the page has no favicon); any other console error counts.
    page.on('console', (m) => {
      if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`);
    });
    const host = await openElementPage(page, server, where === 'html' ? { lang: tag } : { 'attr-lang': tag });
    await expect(host.locator('[part=dropzone] .title')).toHaveText(strings.dropzoneTitle);
    await expect(host.locator('[part=base]')).toHaveAttribute('lang', lang);

    const name = uniqueName(`lang-${lang}`);
    await choose(page, [{ name, buffer: randomBytes(2 * server.sliceSize + 5) }]);
    const row = host.locator('[part=file]');
    await expect(row).toHaveAttribute('data-status', 'done');
    await expect(row.locator('[part=status]')).toContainText(strings.done);
    await expect(row.locator('[part=status] a')).toHaveText(strings.openLink);
    await expect(row.locator('[part=progress]')).toHaveAttribute('aria-valuetext', /100\s?%/);
    await expect(host.getByRole('list', { name: strings.fileList })).toBeVisible();
    expect(errors).toEqual([]);
  });
}
