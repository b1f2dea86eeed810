// The element's panels apart from the upload rows: the drop zone with its file input, the
// dismissable notices, and the "unfinished uploads" section shown after a reload (a resume button
// where a file handle was stored, else the request to choose the same file again).

import { html, nothing, type TemplateResult } from 'lit';
import type { RestorableUpload } from '../engine/types.js';
import { format, formatBytes, type VodUploaderStrings } from './i18n.js';

export interface DropzoneContext {
  strings: VodUploaderStrings;
  lang: string;
  disabled: boolean;
  drag: 'none' | 'accept' | 'reject';
  accept: string;
  multiple: boolean;
  maxSize: number;
  onChange: (event: Event) => void;
}

/**
 * The inner file input's `input` event is composed and would reach the page as the host's own; the
 * host fires `input` when its value (the finished paths) changes, so choosing a file must not.
 */
function stopAtShadowRoot(event: Event): void {
  event.stopPropagation();
}

/** The label drives the native input: click, Enter/Space on the focused input, screen readers, automation. */
export function renderDropzone(ctx: DropzoneContext): TemplateResult {
  const s = ctx.strings;
  const title = ctx.drag === 'reject' ? s.dragReject : ctx.drag === 'accept' ? s.dragAccept : s.dropzoneTitle;
  return html`<label part="dropzone" for="input">
    <span class="title">${title}</span>
    <span class="hint">${ctx.disabled ? s.disabled : s.dropzoneHint}</span>
    ${ctx.maxSize > 0 ? html`<span class="hint">${format(s.dropzoneLimit, { size: formatBytes(ctx.maxSize, ctx.lang) })}</span>` : nothing}
    <input id="input" part="input" type="file" accept=${ctx.accept} ?multiple=${ctx.multiple} ?disabled=${ctx.disabled} @change=${ctx.onChange} @input=${stopAtShadowRoot} />
  </label>`;
}

export interface Notice {
  id: number;
  text: string;
}

export function renderNotices(notices: readonly Notice[], dismissLabel: string, dismiss: (id: number) => void): TemplateResult | typeof nothing {
  if (notices.length === 0) return nothing;
  return html`<ul class="notices">
    ${notices.map(
      (n) => html`<li class="notice">
        <span>${n.text}</span>
        <button part="button" type="button" @click=${() => dismiss(n.id)}>${dismissLabel}</button>
      </li>`,
    )}
  </ul>`;
}

export interface RestorableContext {
  strings: VodUploaderStrings;
  lang: string;
  disabled: boolean;
  canResume: (key: string) => boolean;
  resume: (upload: RestorableUpload) => void;
}

export function renderRestorable(list: readonly RestorableUpload[], ctx: RestorableContext): TemplateResult | typeof nothing {
  if (list.length === 0) return nothing;
  const s = ctx.strings;
  return html`<section class="restorable" aria-labelledby="restorable-title">
    <h2 id="restorable-title">${s.restorableTitle}</h2>
    <ul>
      ${list.map((r) => {
        const size = formatBytes(r.size, ctx.lang);
        const sent = format(s.restorableProgress, { done: formatBytes(r.uploadedBytes, ctx.lang), total: size });
        return html`<li class="restorable-item" data-key=${r.key}>
          <div class="name">${r.name}</div>
          <div class="hint">${sent}</div>
          ${ctx.canResume(r.key)
            ? html`<div part="actions">
                <button part="button" type="button" ?disabled=${ctx.disabled} @click=${() => ctx.resume(r)}>
                  ${format(s.restorableResume, { name: r.name })}
                </button>
              </div>`
            : html`<div class="hint">${format(s.restorableChoose, { name: r.name, size })}</div>`}
        </li>`;
      })}
    </ul>
  </section>`;
}
