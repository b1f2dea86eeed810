// The element's panels apart from the upload rows: the drop zone with its file input (its content a
// slot), the toolbar (the folder picker and the `actions` slot), "Reading folder… N files" with its
// stop button, the dismissable notices (details behind a disclosure), and the "unfinished uploads"
// section shown after a reload (a resume button where a file handle was stored, else the request to
// choose the same file again).

import { html, nothing, type TemplateResult } from 'lit';
import type { RestorableUpload } from '../engine/types.js';
import { format, formatBytes, formatNumber, formatPlural, type VodUploaderStrings } from './i18n.js';

/** The unfinished-uploads panel lists this many entries until "Show N more" is pressed. */
export const RESTORABLE_SHOWN = 5;

export interface DropzoneContext {
  strings: VodUploaderStrings;
  lang: string;
  disabled: boolean;
  drag: 'none' | 'accept' | 'reject';
  accept: string;
  multiple: boolean;
  maxSize: number;
  /** Shows "Choose a folder" (attribute `folder-picker`). */
  folderPicker: boolean;
  /** Whether anything is slotted into `actions` (the toolbar is hidden when it holds nothing). */
  hasActions: boolean;
  onActionsChange: (hasActions: boolean) => void;
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
      <slot name="dropzone">
        <span class="title">${title}</span>
        <span class="hint">${ctx.disabled ? s.disabled : s.dropzoneHint}</span>
        ${ctx.maxSize > 0 ? html`<span class="hint">${format(s.dropzoneLimit, { size: formatBytes(ctx.maxSize, ctx.lang) })}</span>` : nothing}
      </slot>
      <input id="input" part="input" type="file" accept=${ctx.accept} ?multiple=${ctx.multiple} ?disabled=${ctx.disabled} @change=${ctx.onChange} @input=${stopAtShadowRoot} />
    </label>
    <div part="toolbar" ?hidden=${!ctx.folderPicker && !ctx.hasActions}>
      ${ctx.folderPicker ? renderFolderPicker(ctx) : nothing}
      <slot name="actions" @slotchange=${(e: Event) => ctx.onActionsChange((e.target as HTMLSlotElement).assignedNodes().length > 0)}></slot>
    </div>`;
}

/**
 * A button that opens the folder chooser (`webkitdirectory`: every browser has it, under that name).
 * The input stays in the tree, hidden and out of the tab order, for automation's setInputFiles.
 */
function renderFolderPicker(ctx: DropzoneContext): TemplateResult {
  const open = (event: Event): void => ((event.currentTarget as HTMLElement).nextElementSibling as HTMLInputElement | null)?.click();
  return html`<button part="button folder-picker" type="button" ?disabled=${ctx.disabled} @click=${open}>${ctx.strings.folderPicker}</button
    ><input part="folder-input" class="visually-hidden" type="file" webkitdirectory multiple tabindex="-1" aria-hidden="true" ?disabled=${ctx.disabled} @change=${ctx.onChange} @input=${stopAtShadowRoot} />`;
}

/** "Reading folder… N files" while a dropped or picked folder is walked, with the button that stops it. */
export function renderReading(found: number | undefined, strings: VodUploaderStrings, lang: string, stop: () => void): TemplateResult | typeof nothing {
  if (found === undefined) return nothing;
  return html`<div part="reading" class="reading">
    <span>${formatPlural(strings.readingFolder, found, lang, { count: formatNumber(found, lang) })}</span>
    <button part="button" type="button" @click=${stop}>${strings.readingCancel}</button>
  </div>`;
}

export interface Notice {
  id: number;
  text: string;
  /** Lines behind a disclosure (each refused file of a summary). */
  details?: readonly string[];
}

/** Lines a notice's disclosure shows at most: the rest is counted ("…and 9,900 more"), and in the events. */
const DETAILS_SHOWN = 100;

export function renderNotices(notices: readonly Notice[], strings: VodUploaderStrings, lang: string, dismiss: (id: number) => void): TemplateResult | typeof nothing {
  if (notices.length === 0) return nothing;
  return html`<ul class="notices">
    ${notices.map(
      (n) => html`<li class="notice">
        <span>${n.text}</span>
        <button part="button" type="button" @click=${() => dismiss(n.id)}>${strings.dismiss}</button>
        ${n.details ? renderDetails(n.details, strings, lang) : nothing}
      </li>`,
    )}
  </ul>`;
}

function renderDetails(lines: readonly string[], strings: VodUploaderStrings, lang: string): TemplateResult {
  const more = lines.length - DETAILS_SHOWN;
  return html`<details part="notice-details">
    <summary>${strings.rejectDetails}</summary>
    <ul>
      ${lines.slice(0, DETAILS_SHOWN).map((line) => html`<li>${line}</li>`)}
      ${more > 0 ? html`<li>${format(strings.rejectDetailsMore, { count: formatNumber(more, lang) })}</li>` : nothing}
    </ul>
  </details>`;
}

export interface RestorableContext {
  strings: VodUploaderStrings;
  lang: string;
  disabled: boolean;
  canResume: (key: string) => boolean;
  resume: (upload: RestorableUpload) => void;
  discard: (upload: RestorableUpload) => void;
  /** Asks for the confirming click first (ConfirmGate), then discards every entry. */
  discardAll: () => void;
  discardAllArmed: boolean;
  expanded: boolean;
  expand: () => void;
}

export function renderRestorable(list: readonly RestorableUpload[], ctx: RestorableContext): TemplateResult | typeof nothing {
  if (list.length === 0) return nothing;
  const s = ctx.strings;
  const shown = ctx.expanded ? list : list.slice(0, RESTORABLE_SHOWN);
  const hidden = list.length - shown.length;
  const many = (text: VodUploaderStrings['restorableMore'], n: number): string =>
    formatPlural(text, n, ctx.lang, { count: formatNumber(n, ctx.lang) });
  return html`<section class="restorable" part="restorable" aria-labelledby="restorable-title">
    <h2 id="restorable-title">${s.restorableTitle}</h2>
    <ul>
      ${shown.map((r) => {
        const size = formatBytes(r.size, ctx.lang);
        const sent = format(s.restorableProgress, { done: formatBytes(r.uploadedBytes, ctx.lang), total: size });
        return html`<li class="restorable-item" data-key=${r.key}>
          <div class="name">${r.name}</div>
          <div class="hint">${sent}</div>
          ${ctx.canResume(r.key) ? nothing : html`<div class="hint">${format(s.restorableChoose, { name: r.name, size })}</div>`}
          <div part="actions">
            ${ctx.canResume(r.key)
              ? html`<button part="button" type="button" ?disabled=${ctx.disabled} @click=${() => ctx.resume(r)}>
                  ${format(s.restorableResume, { name: r.name })}
                </button>`
              : nothing}
            <button
              part="button"
              type="button"
              data-action="discard"
              aria-label=${format(s.restorableDiscard, { name: r.name })}
              @click=${() => ctx.discard(r)}
            >
              ${s.restorableDiscardText}
            </button>
          </div>
        </li>`;
      })}
    </ul>
    <div part="actions">
      ${hidden > 0
        ? html`<button part="button" type="button" data-action="more" @click=${ctx.expand}>${many(s.restorableMore, hidden)}</button>`
        : nothing}
      ${list.length > 1
        ? html`<button part="button" type="button" data-action="discard-all" @click=${ctx.discardAll}>
            ${ctx.discardAllArmed ? many(s.restorableDiscardAllConfirm, list.length) : s.restorableDiscardAll}
          </button>`
        : nothing}
    </div>
  </section>`;
}
