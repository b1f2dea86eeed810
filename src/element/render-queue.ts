// The queue view's templates: the summary over a batch (counts, bytes, one overall bar, ETA), its bulk
// actions and filter, and the list itself: every row up to WINDOW_THRESHOLD, past it a scroll box of
// compact rows where only those in view are rendered (queue-window.ts).

import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { UploadSnapshot } from '../engine/types.js';
import { format, formatBytes, formatDuration, formatNumber, formatPlural, type VodUploaderStrings } from './i18n.js';
import type { QueueTotals } from './queue-summary.js';
import { LIST_FILTERS, WINDOW_THRESHOLD, type ListFilter, type ListWindow } from './queue-window.js';
import { cssProperty, progressBar, type RowContext, type RowTemplates } from './render-row.js';

export type BulkAction = 'retry-failed' | 'clear-finished' | 'cancel-all';

export interface SummaryContext {
  strings: VodUploaderStrings;
  lang: string;
  disabled: boolean;
  totals: Readonly<QueueTotals>;
  /** Seconds, or undefined while unknown. */
  eta: number | undefined;
  filter: ListFilter;
  /** The bulk action waiting for its confirming click, if any. */
  armed: (action: BulkAction) => boolean;
  bulk: (action: BulkAction) => void;
  setFilter: (filter: ListFilter) => void;
}

function count(text: VodUploaderStrings[keyof VodUploaderStrings], n: number, lang: string, extra: Record<string, string> = {}): string {
  return formatPlural(text, n, lang, { count: formatNumber(n, lang), ...extra });
}

function filterCount(filter: ListFilter, t: Readonly<QueueTotals>): number {
  return { all: t.files, active: t.unfinished, failed: t.failed, done: t.done }[filter];
}

function bulkButton(action: BulkAction, label: string, ctx: SummaryContext): TemplateResult {
  return html`<button part="button bulk-button" type="button" data-bulk=${action} ?disabled=${ctx.disabled} @click=${() => ctx.bulk(action)}>
    ${label}
  </button>`;
}

/** Shown once the list holds more than one file. */
export function renderSummary(ctx: SummaryContext): TemplateResult | typeof nothing {
  const t = ctx.totals;
  if (t.files < 2) return nothing;
  const s = ctx.strings;
  const lang = ctx.lang;
  const finished = t.done + t.cancelled;
  const cancelLabel = ctx.armed('cancel-all') ? count(s.cancelAllConfirm, t.unfinished, lang) : s.cancelAll;
  return html`<section part="summary" aria-label=${s.summaryLabel}>
    <div part="summary-counts">
      <span>${count(s.summaryFiles, t.files, lang)}</span>
      <span>${count(s.summaryDone, t.done, lang)}</span>
      <span class=${t.failed > 0 ? 'failed' : ''}>${count(s.summaryFailed, t.failed, lang)}</span>
      <span>${format(s.summaryBytes, { sent: formatBytes(t.sentBytes, lang), total: formatBytes(t.totalBytes, lang) })}</span>
      <span part="summary-eta">${format(s.summaryEta, { eta: ctx.eta === undefined ? '—' : formatDuration(ctx.eta) })}</span>
    </div>
    <div part="summary-progress">${progressBar(s.summaryLabel, t.sentBytes, t.totalBytes, ctx)}</div>
    <div part="summary-actions">
      ${t.failed > 0 ? bulkButton('retry-failed', count(s.retryFailed, t.failed, lang), ctx) : nothing}
      ${finished > 0 ? bulkButton('clear-finished', count(s.clearFinished, finished, lang), ctx) : nothing}
      ${t.unfinished > 0 ? bulkButton('cancel-all', cancelLabel, ctx) : nothing}
    </div>
    <div part="filter" role="group" aria-label=${s.filterLabel}>
      ${LIST_FILTERS.map(
        (f) => html`<button
          part="button filter-button"
          type="button"
          data-filter=${f}
          aria-pressed=${ctx.filter === f ? 'true' : 'false'}
          @click=${() => ctx.setFilter(f)}
        >
          ${count(s[`filter${f[0]!.toUpperCase()}${f.slice(1)}` as 'filterAll'], filterCount(f, t), lang)}
        </button>`,
      )}
    </div>
  </section>`;
}

/** The rows: all of them for short lists, else the window of compact rows in a scroll box. */
export function renderList(
  uploads: readonly UploadSnapshot[],
  view: ListWindow,
  ctx: RowContext,
  durationOf: (id: string) => number | undefined,
  templates: RowTemplates,
): TemplateResult | typeof nothing {
  templates.begin();
  const list = view.visible(uploads);
  if (list.length === 0) {
    return uploads.length > 0 ? html`<p class="hint" part="filter-empty">${ctx.strings.filterEmpty}</p>` : nothing;
  }
  if (list.length <= WINDOW_THRESHOLD) {
    return html`<ul aria-label=${ctx.strings.fileList}>
      ${repeat(list, (u) => u.id, (u) => templates.row(u, { ...ctx, duration: durationOf(u.id) }))}
    </ul>`;
  }
  const focusedId = view.focusedId;
  const focusedAt = focusedId === undefined ? -1 : list.findIndex((u) => u.id === focusedId);
  const { rows, after } = view.rows(list.length, focusedAt);
  const compact = { ...ctx, compact: true };
  return html`<div
    part="list"
    class="window"
    @scroll=${(e: Event) => view.onScroll(e)}
    @focusin=${(e: FocusEvent) => view.onFocusIn(e)}
    @focusout=${(e: FocusEvent) => view.onFocusOut(e)}
  >
    <ul aria-label=${ctx.strings.fileList} ${cssProperty('padding-block-end', `${after}px`)}>
      ${repeat(
        rows,
        (r) => list[r.index]!.id,
        (r) => templates.row(list[r.index]!, compact, { position: r.index + 1, size: list.length, gapBefore: r.gapBefore }),
      )}
    </ul>
  </div>`;
}
