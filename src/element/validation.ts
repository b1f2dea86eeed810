// Checks a batch of chosen files before anything is uploaded: empty, too large, wrong type for
// `accept`, too many, duplicate, or a name the server cannot store. Pure functions, tested in Node.

import type { RejectReason } from './events.js';
import { format, formatBytes, formatNumber, formatPlural, type VodUploaderStrings } from './i18n.js';

export interface ValidationRules {
  /** The `accept` attribute: MIME types, `type/*` wildcards and `.ext` extensions, comma-separated. */
  accept: string;
  /** Bytes; 0 means no limit. */
  maxSize: number;
  /** Files in the list at most (including those already there); 0 means no limit. */
  maxFiles: number;
  /** How many files the list holds already (counted against maxFiles). */
  existingCount: number;
  /** "The same file" (the queue's rule, engine/fingerprint.ts `sameFileKey`) as a key; `folder` as in PickedFile. */
  sameFile: (file: File, folder?: string) => string;
  /** `sameFile` keys of the files already in the list. */
  known: ReadonlySet<string>;
  /** The protocol's file-name check: returns a reason text when the server cannot store the name. */
  nameProblem: (name: string) => string | undefined;
}

/** A file and the subfolder it goes to (a folder drop's tree, as PickedFile's `folder`). */
export interface FolderedFile {
  file: File;
  folder?: string;
}

export interface Rejection {
  file: File;
  reason: RejectReason;
  /** Set for a file from a folder drop: its folder under the element's. */
  folder?: string;
}

export interface ValidationResult {
  accepted: File[];
  rejected: Rejection[];
}

/** Splits an `accept` value into lower-case tokens; an empty value accepts everything. */
export function parseAccept(accept: string): string[] {
  return accept
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
}

/**
 * Whether a file (or a dragged item, which has a type but maybe no name yet) matches `accept`,
 * the way the native file input reads it: MIME types, `video/*` wildcards, `.mp4` extensions.
 * Browsers leave the type empty for extensions they do not know (`.mkv` on some systems): such
 * files match by extension only, so a `video/*` rule cannot tell and refuses them.
 */
export function matchesAccept(file: { name?: string; type: string }, accept: string): boolean {
  return matchesTokens(file, parseAccept(accept));
}

function matchesTokens(file: { name?: string; type: string }, tokens: readonly string[]): boolean {
  if (tokens.length === 0) return true;
  const type = file.type.toLowerCase();
  const name = (file.name ?? '').toLowerCase();
  return tokens.some((token) => {
    if (token.startsWith('.')) return name.endsWith(token);
    if (token === '*' || token === '*/*') return true;
    if (token.endsWith('/*')) return type !== '' && type.startsWith(token.slice(0, -1));
    return type === token;
  });
}

/** Applies the rules in order of what a user most needs to hear; the first failing rule wins. */
export function validateFiles(files: Iterable<File | FolderedFile>, rules: ValidationRules): ValidationResult {
  const validator = new PickValidator(rules);
  for (const item of files) validator.check(item);
  return validator;
}

/**
 * `validateFiles` one file at a time, for a caller that gives the page back between files of a big
 * pick (file-intake.ts): the files checked so far count against max-files and duplicates.
 */
export class PickValidator implements ValidationResult {
  readonly accepted: File[] = [];
  readonly rejected: Rejection[] = [];
  readonly #rules: ValidationRules;
  readonly #seen: Set<string>;
  readonly #accept: string[];

  constructor(rules: ValidationRules) {
    this.#rules = rules;
    this.#seen = new Set(rules.known);
    this.#accept = parseAccept(rules.accept);
  }

  check(item: File | FolderedFile): void {
    const { file, folder } = item instanceof Blob ? { file: item, folder: undefined } : item;
    const reason = this.#firstProblem(file, folder);
    if (reason) {
      this.rejected.push(folder ? { file, reason, folder } : { file, reason });
    } else {
      this.accepted.push(file);
      this.#seen.add(this.#rules.sameFile(file, folder));
    }
  }

  #firstProblem(file: File, folder: string | undefined): RejectReason | undefined {
    const rules = this.#rules;
    // A folder from a drop becomes part of the path: each of its names must be one the server can store.
    if ([file.name, ...(folder ? folder.split('/') : [])].some((name) => rules.nameProblem(name) !== undefined)) return 'invalid-name';
    if (!matchesTokens(file, this.#accept)) return 'wrong-type';
    // The protocol accepts 0-byte files, but an empty "video" is surely a wrong pick.
    if (file.size === 0) return 'empty';
    if (rules.maxSize > 0 && file.size > rules.maxSize) return 'too-large';
    if (this.#seen.has(rules.sameFile(file, folder))) return 'duplicate';
    if (rules.maxFiles > 0 && rules.existingCount + this.accepted.length >= rules.maxFiles) return 'too-many';
    return undefined;
  }
}

/** The sentence shown in the notice and sent in `vod-upload-reject`. */
export function rejectionMessage(
  rejection: Rejection,
  rules: Pick<ValidationRules, 'accept' | 'maxSize' | 'maxFiles'>,
  strings: VodUploaderStrings,
  lang: string,
): string {
  const { file, folder } = rejection;
  let size = formatBytes(file.size, lang);
  let max: string | number = rejection.reason === 'too-large' ? formatBytes(rules.maxSize, lang) : rules.maxFiles;
  // Just over the limit, both round to the same "195 KB": say the exact byte counts instead.
  if (rejection.reason === 'too-large' && size === max) {
    size = `${formatNumber(file.size, lang)} B`;
    max = `${formatNumber(rules.maxSize, lang)} B`;
  }
  const params = { name: folder ? `${folder}/${file.name}` : file.name, size, max, accept: rules.accept };
  if (rejection.reason === 'too-many') {
    return formatPlural(strings.rejectTooMany, rules.maxFiles, lang, { ...params, max: formatNumber(rules.maxFiles, lang) });
  }
  const templates: Record<Exclude<RejectReason, 'too-many'>, string> = {
    'too-large': strings.rejectTooLarge,
    'wrong-type': strings.rejectWrongType,
    duplicate: strings.rejectDuplicate,
    empty: strings.rejectEmpty,
    'invalid-name': strings.rejectInvalidName,
  };
  return format(templates[rejection.reason], params);
}

/** The order reasons are listed in a summary: what a user most often has to act on first. */
const SUMMARY_ORDER: readonly RejectReason[] = ['wrong-type', 'too-large', 'empty', 'duplicate', 'too-many', 'invalid-name'];

/**
 * One sentence for many refusals of one pick: "37 files were not added: 30 not of an accepted
 * type and 7 over 20 GB." (the per-file sentences go behind a disclosure, and in the events).
 */
export function summarizeRejections(
  rejections: readonly Rejection[],
  rules: Pick<ValidationRules, 'maxSize' | 'maxFiles'>,
  strings: VodUploaderStrings,
  lang: string,
): string {
  const counts = new Map<RejectReason, number>();
  for (const { reason } of rejections) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const templates: Record<RejectReason, string> = {
    'wrong-type': strings.summaryWrongType,
    'too-large': strings.summaryTooLarge,
    empty: strings.summaryEmpty,
    duplicate: strings.summaryDuplicate,
    'too-many': strings.summaryTooMany,
    'invalid-name': strings.summaryInvalidName,
  };
  const max = { 'too-large': formatBytes(rules.maxSize, lang), 'too-many': formatNumber(rules.maxFiles, lang) };
  const parts = SUMMARY_ORDER.filter((r) => counts.has(r)).map((reason) =>
    format(templates[reason], { count: formatNumber(counts.get(reason) ?? 0, lang), max: reason === 'too-large' || reason === 'too-many' ? max[reason] : '' }),
  );
  const reasons = new Intl.ListFormat(lang, { type: 'conjunction' }).format(parts);
  return formatPlural(strings.rejectSummary, rejections.length, lang, { count: formatNumber(rejections.length, lang), reasons });
}
