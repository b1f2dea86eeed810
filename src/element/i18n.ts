// The element's words and the small formatters (numbers, sizes, times) that go with them. Strings
// are templates with {placeholders}, so `i18n` overrides stay plain data. English is built in; the
// other tables (src/element/locales/) load on demand, so a page downloads only its own language.

import { en } from './locales/en.js';

/** A text that depends on a count: one template per plural category, `other` always there. */
export type PluralText = string | ({ other: string } & Partial<Record<Intl.LDMLPluralRule, string>>);

export interface VodUploaderStrings {
  dropzoneTitle: string;
  dropzoneHint: string;
  dropzoneLimit: string;
  dragAccept: string;
  dragReject: string;
  disabled: string;
  queued: string;
  hashing: string;
  uploading: string;
  paused: string;
  /** {seconds} arrives formatted with its unit ("5 seconds", "5秒"). */
  retrying: string;
  done: string;
  error: string;
  cancelled: string;
  elsewhere: string;
  hashingLabel: string;
  uploadingLabel: string;
  /** {percent} arrives formatted with its sign ("25%"). */
  progressText: string;
  speedEta: string;
  speedOnly: string;
  pause: string;
  resume: string;
  cancel: string;
  retry: string;
  remove: string;
  /** Visible button texts; the accessible names above add the file name. */
  pauseText: string;
  resumeText: string;
  cancelText: string;
  retryText: string;
  removeText: string;
  dismiss: string;
  openLink: string;
  instant: string;
  errorCode: string;
  errorNetwork: string;
  errorTimeout: string;
  errorSignature: string;
  errorFile: string;
  /** The page refused both the hashing worker and a WebAssembly start (a CSP): nothing the file can fix. */
  errorHashing: string;
  errorLocked: string;
  errorServer: string;
  errorTemporary: string;
  errorExists: string;
  errorOther: string;
  rejectTooLarge: string;
  rejectWrongType: string;
  /** One text per plural category of {max} (Intl.PluralRules), or one text for all. */
  rejectTooMany: PluralText;
  rejectDuplicate: string;
  rejectEmpty: string;
  rejectInvalidName: string;
  /** Many refusals of one pick in one notice: {count} files, {reasons} the summary parts below joined. */
  rejectSummary: PluralText;
  /** Summary parts; {count} is formatted, {max} the limit (a size, or a number of files). */
  summaryWrongType: string;
  summaryTooLarge: string;
  summaryEmpty: string;
  summaryDuplicate: string;
  summaryTooMany: string;
  summaryInvalidName: string;
  /** The disclosure that holds each refused file's sentence. */
  rejectDetails: string;
  /** After the first refusals listed: {count} not shown. */
  rejectDetailsMore: string;
  /** While a dropped or picked folder is read: {count} files found so far. */
  readingFolder: PluralText;
  readingCancel: string;
  readingStopped: string;
  readingFailed: string;
  /** Files or folders of a dropped folder the browser would not read: {count}; their paths go behind a disclosure. */
  readingUnreadable: PluralText;
  /** The button of the folder picker (attribute `folder-picker`). */
  folderPicker: string;
  /** <vod-uploader-drop>'s own text when nothing is slotted into it. */
  dropTarget: string;
  /** A name over the server's 255 UTF-8 bytes: {bytes} is its length, {max} the limit. */
  announceStart: string;
  /** {percent} arrives formatted with its sign. */
  announceProgress: string;
  announcePause: string;
  announceError: string;
  announceDone: string;
  restorableTitle: string;
  restorableResume: string;
  restorableChoose: string;
  restorableProgress: string;
  restorableWrongFile: string;
  formRunning: string;
  formMissing: string;
  warning: string;
  fileList: string;
  duration: string;
  /** The queue view (render-queue.ts): {count} arrives formatted; one text per plural category. */
  summaryLabel: string;
  summaryFiles: PluralText;
  summaryDone: PluralText;
  summaryFailed: PluralText;
  summaryBytes: string;
  /** {eta} is "1:05" or "—" while unknown. */
  summaryEta: string;
  retryFailed: PluralText;
  clearFinished: PluralText;
  cancelAll: string;
  /** The armed "Cancel all": a second click within 5 s cancels {count} uploads. */
  cancelAllConfirm: PluralText;
  filterLabel: string;
  filterAll: PluralText;
  filterActive: PluralText;
  filterFailed: PluralText;
  filterDone: PluralText;
  filterEmpty: string;
  /** Batch announcements (milestones.ts). */
  announceDoneMany: PluralText;
  announceFailedMany: PluralText;
  /** {percent} arrives formatted; {finished} of {files} files are done or failed. */
  announceBatchProgress: string;
  announceBatchDone: string;
  restorableDiscard: string;
  restorableDiscardText: string;
  restorableDiscardAll: string;
  restorableDiscardAllConfirm: PluralText;
  restorableMore: PluralText;
  discardRefusedHere: string;
  discardRefusedElsewhere: string;
  discardRefusedMore: string;
}


export type VodUploaderLocale = 'en' | 'zh-CN' | 'zh-TW' | 'ja' | 'ko';

const loaders: Record<Exclude<VodUploaderLocale, 'en'>, () => Promise<{ default: VodUploaderStrings }>> = {
  'zh-CN': () => import('./locales/zh-cn.js'),
  'zh-TW': () => import('./locales/zh-tw.js'),
  ja: () => import('./locales/ja.js'),
  ko: () => import('./locales/ko.js'),
};
const tables = new Map<VodUploaderLocale, VodUploaderStrings>([['en', en]]);
const loading = new Map<VodUploaderLocale, Promise<void>>();

const canonical = new Map<string, string>();
/**
 * Any `lang` value as a tag every Intl constructor accepts: `zh_CN` (common on Chinese sites) becomes
 * `zh-CN`, and what is not a BCP 47 tag at all becomes `en`, so no attribute can break rendering.
 */
export function normalizeLang(lang: string | null | undefined): string {
  const raw = (lang ?? '').trim();
  let tag = canonical.get(raw);
  if (tag === undefined) {
    try {
      tag = Intl.getCanonicalLocales(raw.replace(/_/g, '-'))[0] ?? 'en';
    } catch {
      tag = 'en';
    }
    canonical.set(raw, tag);
  }
  return tag;
}

/** The built-in table for a tag: Chinese by script (or region), Japanese, Korean, else English. */
export function resolveLocale(lang: string | null | undefined): VodUploaderLocale {
  const tag = normalizeLang(lang);
  let locale = resolved.get(tag);
  if (!locale) resolved.set(tag, (locale = tableOf(new Intl.Locale(tag))));
  return locale;
}
const resolved = new Map<string, VodUploaderLocale>();

function tableOf(locale: Intl.Locale): VodUploaderLocale {
  switch (locale.language) {
    case 'zh':
      // The likely script: zh-TW, zh-HK and zh-MO write Traditional characters, zh and zh-SG Simplified.
      return (locale.script ?? locale.maximize().script) === 'Hant' ? 'zh-TW' : 'zh-CN';
    case 'ja':
      return 'ja';
    case 'ko':
      return 'ko';
    default:
      return 'en';
  }
}

/**
 * Loads the table of `lang`'s locale; undefined when it is there already (no wait at all). A table
 * that fails to load (a blocked chunk) leaves English, and is not asked for again.
 */
export function loadStrings(lang: string | null | undefined): Promise<void> | undefined {
  const locale = resolveLocale(lang);
  if (locale === 'en' || tables.has(locale)) return undefined;
  let job = loading.get(locale);
  if (!job) {
    job = loaders[locale]().then(
      (module) => void tables.set(locale, module.default),
      () => undefined,
    );
    loading.set(locale, job);
  }
  return job;
}

/** The strings for `lang` with `overrides` on top; English until `loadStrings(lang)` has settled. */
export function stringsFor(lang: string | null | undefined, overrides?: Partial<VodUploaderStrings>): VodUploaderStrings {
  const table = tables.get(resolveLocale(lang)) ?? en;
  if (!overrides) return table;
  let byOverrides = merged.get(table);
  if (!byOverrides) merged.set(table, (byOverrides = new WeakMap()));
  let strings = byOverrides.get(overrides);
  if (!strings) byOverrides.set(overrides, (strings = Object.freeze({ ...table, ...overrides })));
  return strings;
}
/**
 * The same strings object while the table and the overrides object are the same: the element's row
 * templates are reused while their strings are (render-row.ts, RowTemplates). An `i18n` change is
 * therefore a new object, as Lit sees property changes anyway, not an edit of the one already set.
 */
const merged = new WeakMap<VodUploaderStrings, WeakMap<Partial<VodUploaderStrings>, VodUploaderStrings>>();

/** Fills `{name}` placeholders; unknown placeholders stay visible so a broken override is noticed. */
export function format(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => (key in params ? String(params[key]) : all));
}

const pluralRules = new Map<string, Intl.PluralRules>();
/** The template of `text` for `count`'s plural category in `lang`, filled with `params`. */
export function formatPlural(text: PluralText, count: number, lang: string, params: Record<string, string | number>): string {
  let template: string;
  if (typeof text === 'string') template = text;
  else {
    let rules = pluralRules.get(lang);
    if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
    template = text[rules.select(count)] ?? text.other;
  }
  return format(template, params);
}

const units = ['B', 'KB', 'MB', 'GB', 'TB'];

// Creating an Intl.NumberFormat costs far more than using one (see bench/README.md): keep one per
// language and style, and let the element make the common ones ahead, when the page is idle.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: string, key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${lang}|${key}`;
  let made = numberFormats.get(id);
  if (!made) {
    made = new Intl.NumberFormat(lang, options);
    numberFormats.set(id, made);
  }
  return made;
}
const decimals = (lang: string, digits: number): Intl.NumberFormat =>
  numberFormat(lang, `d${digits}`, { maximumFractionDigits: digits });

/** Creates the formats the rows use for `lang`, so the first row does not pay for them. */
export function warmNumberFormats(lang: string): void {
  decimals(lang, 0);
  decimals(lang, 1);
  formatPercent(0, lang);
}

/** 12345 → "12,345" in `lang`'s digits and grouping. */
export function formatNumber(value: number, lang: string): string {
  return decimals(lang, 0).format(value);
}

/** 0.25 → "25%" (or "%25", "25 %" where the language writes it so); whole percents only. */
export function formatPercent(fraction: number, lang: string): string {
  return numberFormat(lang, 'p', { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

/** 5 → "5 seconds", "5秒", "5초": the unit and its plural from Intl. */
export function formatSeconds(seconds: number, lang: string): string {
  return numberFormat(lang, 's', { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(seconds);
}

/** 1536 → "1.5 KB" (binary multiples, as file managers show them). */
export function formatBytes(bytes: number, lang: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${decimals(lang, digits).format(value)} ${units[unit]}`;
}

/** Seconds → "1:05:09" or "4:02"; for ETAs and video durations alike. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
