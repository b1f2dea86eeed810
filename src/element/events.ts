// Every DOM event <vod-uploader> dispatches, declared once: names, detail types, the global
// HTMLElementEventMap entries, and the one helper that creates them (bubbling, composed).

import type { UploadError } from '../engine/errors.js';
import type { RestorableUpload, UploadResult, UploadSnapshot } from '../engine/types.js';

/** Why a file was refused before any upload started. */
export type RejectReason = 'too-large' | 'wrong-type' | 'too-many' | 'duplicate' | 'empty' | 'invalid-name';

export interface VodUploadDetail {
  upload: UploadSnapshot;
}
export interface VodUploadRejectDetail {
  file: File;
  reason: RejectReason;
  message: string;
  /** For a file from a folder: its folder under the element's (`trip/day 1`). */
  folder?: string;
}
/** Every refusal of one pick (a drop, a choice, an addFiles call), and the notice's sentence. */
export interface VodUploadRejectBatchDetail {
  rejections: VodUploadRejectDetail[];
  message: string;
}
export interface VodUploadRetryDetail extends VodUploadDetail {
  attempt: number;
  delayMs: number;
  error: UploadError;
}
export interface VodUploadSuccessDetail extends VodUploadDetail {
  result: UploadResult;
}
export interface VodUploadErrorDetail extends VodUploadDetail {
  error: UploadError;
}
export interface VodUploadRestorableDetail {
  uploads: RestorableUpload[];
}
/** What `discardStored()` (or the panel's Discard buttons) forgot, and what it refused to. */
export interface VodUploadDiscardDetail {
  discarded: string[];
  refused: Array<{ key: string; name: string; where: 'here' | 'elsewhere'; message: string }>;
}
export interface VodUploadWarningDetail {
  error: UploadError;
}

/** Event name → detail, the single source for the dispatcher and the global map. */
export interface VodUploaderEventDetails {
  'vod-upload-add': VodUploadDetail;
  'vod-upload-reject': VodUploadRejectDetail;
  'vod-upload-reject-batch': VodUploadRejectBatchDetail;
  'vod-upload-start': VodUploadDetail;
  'vod-upload-progress': VodUploadDetail;
  'vod-upload-pause': VodUploadDetail;
  'vod-upload-resume': VodUploadDetail;
  'vod-upload-retry': VodUploadRetryDetail;
  'vod-upload-success': VodUploadSuccessDetail;
  'vod-upload-error': VodUploadErrorDetail;
  'vod-upload-cancel': VodUploadDetail;
  'vod-upload-restorable': VodUploadRestorableDetail;
  'vod-upload-warning': VodUploadWarningDetail;
  'vod-upload-discard': VodUploadDiscardDetail;
}
export type VodUploaderEventName = keyof VodUploaderEventDetails;

export type VodUploadAddEvent = CustomEvent<VodUploadDetail>;
export type VodUploadRejectEvent = CustomEvent<VodUploadRejectDetail>;
export type VodUploadRejectBatchEvent = CustomEvent<VodUploadRejectBatchDetail>;
export type VodUploadStartEvent = CustomEvent<VodUploadDetail>;
export type VodUploadProgressEvent = CustomEvent<VodUploadDetail>;
export type VodUploadPauseEvent = CustomEvent<VodUploadDetail>;
export type VodUploadResumeEvent = CustomEvent<VodUploadDetail>;
export type VodUploadRetryEvent = CustomEvent<VodUploadRetryDetail>;
export type VodUploadSuccessEvent = CustomEvent<VodUploadSuccessDetail>;
export type VodUploadErrorEvent = CustomEvent<VodUploadErrorDetail>;
export type VodUploadCancelEvent = CustomEvent<VodUploadDetail>;
export type VodUploadRestorableEvent = CustomEvent<VodUploadRestorableDetail>;
export type VodUploadWarningEvent = CustomEvent<VodUploadWarningDetail>;
export type VodUploadDiscardEvent = CustomEvent<VodUploadDiscardDetail>;

declare global {
  interface HTMLElementEventMap {
    'vod-upload-add': VodUploadAddEvent;
    'vod-upload-reject': VodUploadRejectEvent;
    'vod-upload-reject-batch': VodUploadRejectBatchEvent;
    'vod-upload-start': VodUploadStartEvent;
    'vod-upload-progress': VodUploadProgressEvent;
    'vod-upload-pause': VodUploadPauseEvent;
    'vod-upload-resume': VodUploadResumeEvent;
    'vod-upload-retry': VodUploadRetryEvent;
    'vod-upload-success': VodUploadSuccessEvent;
    'vod-upload-error': VodUploadErrorEvent;
    'vod-upload-cancel': VodUploadCancelEvent;
    'vod-upload-restorable': VodUploadRestorableEvent;
    'vod-upload-warning': VodUploadWarningEvent;
    'vod-upload-discard': VodUploadDiscardEvent;
  }
}

/** Dispatches a typed event from `target`; bubbles and crosses shadow roots so pages can listen anywhere. */
export function fireVodEvent<K extends VodUploaderEventName>(
  target: EventTarget,
  name: K,
  detail: VodUploaderEventDetails[K],
): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
