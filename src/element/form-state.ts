// The element as a form control: its value is the finished uploads' resource paths (one entry
// each under `name`), and it is invalid while an upload runs, so a form is not sent half-way.

import type { UploadSnapshot } from '../engine/types.js';
import type { VodUploaderStrings } from './i18n.js';

const RUNNING = new Set(['queued', 'hashing', 'uploading', 'retrying', 'paused']);

export function isRunning(upload: UploadSnapshot): boolean {
  return RUNNING.has(upload.status);
}

export function finishedPaths(uploads: readonly UploadSnapshot[]): string[] {
  return uploads.flatMap((u) => (u.status === 'done' && u.result ? [u.result.resourcePath] : []));
}

/**
 * The element's `value`: the finished uploads' resource paths in list order, one per line ('' when
 * none). A line break is a safe separator: no file name the protocol accepts holds a control character.
 */
export function formValueOf(uploads: readonly UploadSnapshot[]): string {
  return finishedPaths(uploads).join('\n');
}

export interface FormStateInput {
  internals: ElementInternals;
  uploads: readonly UploadSnapshot[];
  name: string;
  required: boolean;
  strings: VodUploaderStrings;
  /** Where the browser points when it reports the problem (the file input in the shadow root). */
  anchor?: HTMLElement;
}

export function updateFormState({ internals, uploads, name, required, strings, anchor }: FormStateInput): void {
  const paths = finishedPaths(uploads);
  if (name && paths.length > 0) {
    const data = new FormData();
    for (const path of paths) data.append(name, path);
    internals.setFormValue(data);
  } else {
    internals.setFormValue(null);
  }
  if (uploads.some(isRunning)) internals.setValidity({ customError: true }, strings.formRunning, anchor);
  else if (required && paths.length === 0) internals.setValidity({ valueMissing: true }, strings.formMissing, anchor);
  else internals.setValidity({});
}

/** The plain events fired when the value changes, in this order (documented with `@fires {Event}`). */
export const VALUE_EVENTS = ['input', 'change'] as const;

/**
 * The element's side of form association: its ElementInternals, whether a disabled fieldset or form
 * disables it, and the value and validity kept in step with the uploads. Like a native control it
 * fires `input` then `change` at the host when its value changes (an upload finished, a reset, the
 * element showed a queue with finished rows), so `v-model` and controlled form state follow it.
 */
export class FormField {
  /** Set by formDisabledCallback: a disabled <fieldset> or form around the element. */
  disabledByForm = false;
  /** The value now (`formValueOf` of the uploads last synced). */
  value = '';
  #announced = '';
  #holding = false;

  readonly #host: HTMLElement;

  constructor(
    readonly internals: ElementInternals,
    host: HTMLElement,
  ) {
    this.#host = host;
  }

  sync(state: Omit<FormStateInput, 'internals'>): void {
    updateFormState({ internals: this.internals, ...state });
    this.value = formValueOf(state.uploads);
    if (!this.#holding) this.#announce();
  }

  /** Runs `change` (a reset removes the finished rows one by one) and announces the value once, after it. */
  hold(change: () => void): void {
    this.#holding = true;
    try {
      change();
    } finally {
      this.#holding = false;
    }
    this.#announce();
  }

  #announce(): void {
    if (this.value === this.#announced) return;
    this.#announced = this.value;
    // As <input type=file> does: `input` bubbles and is composed, `change` bubbles only.
    for (const type of VALUE_EVENTS) this.#host.dispatchEvent(new Event(type, { bubbles: true, composed: type === 'input' }));
  }
}
