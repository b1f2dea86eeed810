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

/**
 * The element's side of form association: its ElementInternals, whether a disabled fieldset or form
 * disables it, and the value and validity kept in step with the uploads.
 */
export class FormField {
  /** Set by formDisabledCallback: a disabled <fieldset> or form around the element. */
  disabledByForm = false;

  constructor(readonly internals: ElementInternals) {}

  sync(state: Omit<FormStateInput, 'internals'>): void {
    updateFormState({ internals: this.internals, ...state });
  }
}
