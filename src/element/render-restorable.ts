// The "unfinished uploads" section shown after a reload: what was sent, and either a resume button
// (a file handle was stored) or the request to choose the same file again.

import { html, nothing, type TemplateResult } from 'lit';
import type { RestorableUpload } from '../engine/types.js';
import { format, formatBytes, type VodUploaderStrings } from './i18n.js';

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
