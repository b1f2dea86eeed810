// The element as a form control: its value is the finished uploads' resource paths (one entry
// each under `name`), and it is invalid while an upload runs, so a form is not sent half-way.

import type { UploadSnapshot } from '../engine/types.js';
import type { VodUploaderStrings } from './i18n.js';

const RUNNING = new Set(['queued', 'hashing', 'uploading', 'retrying', 'paused']);

/**
 * The finished uploads' resource paths in list order (the element's `value` joins them with line
 * breaks: no file name the protocol accepts holds a control character), and whether any upload still
 * runs: one pass, no per-row allocation.
 */
export function formFacts(uploads: readonly UploadSnapshot[]): { paths: string[]; running: boolean } {
  const paths: string[] = [];
  let running = false;
  for (const u of uploads) {
    if (u.status === 'done') {
      if (u.result) paths.push(u.result.resourcePath);
    } else if (!running && RUNNING.has(u.status)) {
      running = true;
    }
  }
  return { paths, running };
}

export interface FormStateInput {
  uploads: readonly UploadSnapshot[];
  name: string;
  required: boolean;
  strings: VodUploaderStrings;
  /** Where the browser points when it reports the problem (the file input in the shadow root). */
  anchor?: HTMLElement;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  /** The finished paths last synced, and those last announced with `input`/`change`. */
  #paths: readonly string[] = [];
  #announced: readonly string[] = [];
  #joined?: string;
  #holding = false;

  /** The value now: the paths last synced, one per line (joined when read: 10,000 paths are 400 KB of string). */
  get value(): string {
    return (this.#joined ??= this.#paths.join('\n'));
  }

  readonly #host: HTMLElement;

  constructor(
    readonly internals: ElementInternals,
    host: HTMLElement,
  ) {
    this.#host = host;
  }

  /**
   * Called on every change of the list (a few times a second with thousands of files): one pass over
   * the snapshots; the form value (a FormData of every path) and `value` are only rebuilt when the
   * finished paths or the attributes changed, the validity only when what it says changed.
   */
  sync(state: FormStateInput): void {
    const { paths, running } = formFacts(state.uploads);
    const last = this.#last;
    if (!last || last.name !== state.name || !sameList(this.#paths, paths)) {
      if (state.name && paths.length > 0) {
        const data = new FormData();
        for (const path of paths) data.append(state.name, path);
        this.internals.setFormValue(data);
      } else {
        this.internals.setFormValue(null);
      }
      this.#paths = paths;
      this.#joined = undefined;
    }
    const validity = running ? 'running' : state.required && paths.length === 0 ? 'missing' : 'valid';
    if (!last || last.validity !== validity || last.strings !== state.strings || last.anchor !== state.anchor) {
      if (validity === 'running') this.internals.setValidity({ customError: true }, state.strings.formRunning, state.anchor);
      else if (validity === 'missing') this.internals.setValidity({ valueMissing: true }, state.strings.formMissing, state.anchor);
      else this.internals.setValidity({});
    }
    this.#last = { name: state.name, validity, strings: state.strings, anchor: state.anchor };
    if (!this.#holding) this.#announce();
  }

  #last?: { name: string; validity: 'running' | 'missing' | 'valid'; strings: VodUploaderStrings; anchor: HTMLElement | undefined };

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
    if (sameList(this.#paths, this.#announced)) return;
    this.#announced = this.#paths;
    // As <input type=file> does: `input` bubbles and is composed, `change` bubbles only.
    for (const type of VALUE_EVENTS) this.#host.dispatchEvent(new Event(type, { bubbles: true, composed: type === 'input' }));
  }
}
