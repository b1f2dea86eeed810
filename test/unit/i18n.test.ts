// The element's languages (src/element/i18n.ts, src/element/locales/): any lang value resolves to a
// tag Intl accepts and to a table; every table has every key with the same placeholders.
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatPercent,
  formatSeconds,
  loadStrings,
  normalizeLang,
  resolveLocale,
  stringsFor,
  type VodUploaderLocale,
  type VodUploaderStrings,
} from '../../src/element/i18n.js';
import { en } from '../../src/element/locales/en.js';

const LOCALES: VodUploaderLocale[] = ['en', 'zh-CN', 'zh-TW', 'ja', 'ko'];

/** The `{placeholders}` of a string or of every plural form of it. */
function placeholders(value: VodUploaderStrings[keyof VodUploaderStrings]): string[] {
  const texts = typeof value === 'string' ? [value] : Object.values(value);
  return [...new Set(texts.flatMap((t) => [...(t ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort();
}

describe('language tags', () => {
  it('turns underscores, case and garbage into a tag every Intl constructor accepts', () => {
    expect(normalizeLang('zh_CN')).toBe('zh-CN');
    expect(normalizeLang('ZH_tw')).toBe('zh-TW');
    expect(normalizeLang(' ja ')).toBe('ja');
    for (const garbage of ['x_!!', '!!', 'x', '123', 'en-', '']) {
      const tag = normalizeLang(garbage);
      expect(tag).toBe('en');
    }
    for (const any of ['zh_CN', 'x_!!', 'zh-Hant-HK', 'i-klingon', 'de_DE_u_co_phonebk']) {
      const tag = normalizeLang(any);
      expect(() => new Intl.NumberFormat(tag)).not.toThrow();
      expect(() => formatBytes(1536, tag)).not.toThrow();
    }
  });

  it('picks Simplified or Traditional Chinese by script and region, Japanese, Korean, else English', () => {
    const cases: Record<string, VodUploaderLocale> = {
      zh: 'zh-CN',
      zh_CN: 'zh-CN',
      'zh-Hans-CN': 'zh-CN',
      'zh-SG': 'zh-CN',
      'zh-TW': 'zh-TW',
      'zh-HK': 'zh-TW',
      'zh-MO': 'zh-TW',
      'zh-Hant': 'zh-TW',
      zh_TW: 'zh-TW',
      ja: 'ja',
      'ja-JP': 'ja',
      ko_KR: 'ko',
      'en-GB': 'en',
      fr: 'en',
      'x_!!': 'en',
      '': 'en',
    };
    for (const [tag, locale] of Object.entries(cases)) expect(resolveLocale(tag), tag).toBe(locale);
  });
});

describe('tables', () => {
  it('every locale has every key, with the same placeholders as English', async () => {
    const keys = Object.keys(en).sort();
    for (const locale of LOCALES) {
      await loadStrings(locale);
      // The loaded table itself (stringsFor does not fill its gaps from English).
      const own = stringsFor(locale);
      if (locale !== 'en') expect(own.dropzoneTitle, locale).not.toBe(en.dropzoneTitle);
      expect(Object.keys(own).sort(), locale).toEqual(keys);
      for (const key of keys as Array<keyof VodUploaderStrings>) {
        expect(placeholders(own[key]), `${locale} ${key}`).toEqual(placeholders(en[key]));
        expect(typeof own[key] === 'string' ? own[key] : own[key].other, `${locale} ${key}`).not.toBe('');
      }
    }
  });

  it('numbers, percents and seconds come from Intl in each language', () => {
    expect(formatPercent(0.25, 'en')).toBe('25%');
    expect(formatSeconds(1, 'en')).toBe('1 second');
    expect(formatSeconds(5, 'en')).toBe('5 seconds');
    expect(formatSeconds(5, 'ko')).toBe('5초');
    expect(formatBytes(1536, 'de')).toBe('1,5 KB');
  });
});
