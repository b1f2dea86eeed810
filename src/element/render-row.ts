// The template of one upload row: poster, name (text only), size, phase, a progress bar per
// phase, speed and ETA, the buttons that make sense for the state, and the result or the error.

import { html, noChange, nothing, type ElementPart, type TemplateResult } from 'lit';
import { Directive, directive, PartType, type PartInfo } from 'lit/directive.js';
import type { UploadErrorInfo, UploadSnapshot } from '../engine/types.js';
import { format, formatBytes, formatDuration, formatPercent, formatSeconds, type VodUploaderStrings } from './i18n.js';

export type RowAction = 'pause' | 'resume' | 'cancel' | 'retry' | 'remove';

export interface RowContext {
  strings: VodUploaderStrings;
  lang: string;
  disabled: boolean;
  /** Seconds, once the poster job has read it. */
  duration?: number;
  now: number;
  act: (action: RowAction, id: string) => void;
  /** One fixed-height row without the poster (the windowed list, queue-window.ts). */
  compact?: boolean;
}

/** The row's place in the whole list, for screen readers when only some rows are in the DOM. */
export interface RowPlace {
  position: number;
  size: number;
  /** px of the rows before it that are not rendered. */
  gapBefore: number;
}

/**
 * Sets one CSS custom property through CSSOM on every render. Lit's styleMap writes a `style`
 * attribute string on first render, which a strict `style-src 'self'` CSP blocks; CSSOM is allowed.
 */
class CssPropertyDirective extends Directive {
  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('cssProperty() goes on an element');
  }
  render(_name: string, _value: string): typeof noChange {
    return noChange;
  }
  override update(part: ElementPart, [name, value]: [string, string]): typeof noChange {
    (part.element as HTMLElement).style.setProperty(name, value);
    return noChange;
  }
}
export const cssProperty = directive(CssPropertyDirective);

/** Server codes meaning "a file already exists at this path" (PROTOCOL.md). */
const EXISTS_CODES = new Set<number | string>([-4018, -177]);

/** Plain words for an error, followed by the code behind it. */
function kindWords(kind: string, s: VodUploaderStrings): string | undefined {
  const byKind: Record<string, string> = {
    network: s.errorNetwork,
    timeout: s.errorTimeout,
    signature: s.errorSignature,
    file: s.errorFile,
    'hashing-unavailable': s.errorHashing,
    locked: s.errorLocked,
  };
  return byKind[kind];
}

/** Why an upload is waiting to retry: plain words where the kind has them, and always the code. */
function retryNote(error: UploadErrorInfo, s: VodUploaderStrings): string {
  const words = kindWords(error.kind, s);
  const code = `(${format(s.errorCode, { code: error.code })})`;
  return words ? `: ${words} ${code}` : ` ${code}`;
}

export function describeError(error: UploadErrorInfo, s: VodUploaderStrings): string {
  let text: string;
  const words = kindWords(error.kind, s);
  if (EXISTS_CODES.has(error.code)) text = s.errorExists;
  else if (words) text = words;
  // Transient trouble that outlasted the automatic retries: the server's words would only confuse.
  else if (error.retryable && ['server', 'http', 'bad-response'].includes(error.kind)) text = s.errorTemporary;
  else if (error.kind === 'server') text = format(s.errorServer, { message: error.message });
  else text = format(s.errorOther, { message: error.message });
  return `${text} (${format(s.errorCode, { code: error.code })})`;
}

function phaseText(u: UploadSnapshot, ctx: RowContext): string {
  const s = ctx.strings;
  if (u.elsewhere) return s.elsewhere;
  switch (u.status) {
    case 'retrying': {
      const seconds = Math.max(0, Math.ceil(((u.retryAt ?? ctx.now) - ctx.now) / 1000));
      const countdown = format(s.retrying, { seconds: formatSeconds(seconds, ctx.lang) });
      // Say why, so a user can tell a flaky network from a signature endpoint that is down.
      return u.retryReason ? countdown + retryNote(u.retryReason, s) : countdown;
    }
    default:
      return s[u.status];
  }
}

export function progressBar(
  label: string,
  done: number,
  total: number,
  ctx: Pick<RowContext, 'strings' | 'lang'>,
): TemplateResult {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const percent = Math.floor(fraction * 100);
  const text = format(ctx.strings.progressText, {
    percent: formatPercent(percent / 100, ctx.lang),
    done: formatBytes(done, ctx.lang),
    total: formatBytes(total, ctx.lang),
  });
  return html`<div
    part="progress"
    role="progressbar"
    aria-label=${label}
    aria-valuemin="0"
    aria-valuemax="100"
    aria-valuenow=${percent}
    aria-valuetext=${text}
  >
    <div class="fill" ${cssProperty('--vod-uploader-fraction', String(fraction))}></div>
  </div>`;
}

function button(action: RowAction, label: string, u: UploadSnapshot, ctx: RowContext): TemplateResult {
  // Short visible text; the accessible name adds the file, so a screen reader's button list is clear.
  return html`<button
    part="button"
    type="button"
    data-action=${action}
    aria-label=${format(label, { name: u.name })}
    ?disabled=${ctx.disabled}
    @click=${() => ctx.act(action, u.id)}
  >
    ${ctx.strings[`${action}Text`]}
  </button>`;
}

function actions(u: UploadSnapshot, ctx: RowContext): TemplateResult {
  const s = ctx.strings;
  const running = u.status === 'queued' || u.status === 'hashing' || u.status === 'uploading' || u.status === 'retrying';
  return html`<div part="actions">
    ${running ? button('pause', s.pause, u, ctx) : nothing} ${u.status === 'paused' ? button('resume', s.resume, u, ctx) : nothing}
    ${u.status === 'error' && (u.error?.retryable !== false || u.error.kind === 'hashing-unavailable') ? button('retry', s.retry, u, ctx) : nothing}
    ${running || u.status === 'paused' ? button('cancel', s.cancel, u, ctx) : nothing}
    ${u.status === 'done' || u.status === 'error' || u.status === 'cancelled' ? button('remove', s.remove, u, ctx) : nothing}
  </div>`;
}

function status(u: UploadSnapshot, ctx: RowContext): TemplateResult {
  const s = ctx.strings;
  if (u.status === 'done' && u.result) {
    return html`<div part="status">
      ${s.done}: <a href=${u.result.accessUrl} target="_blank" rel="noopener">${s.openLink}</a>
      ${u.result.instant ? html`<span class="instant">${s.instant}</span>` : nothing}
    </div>`;
  }
  if (u.status === 'error' && u.error) return html`<div part="status">${describeError(u.error, s)}</div>`;
  const speed =
    u.speed > 0 && (u.status === 'hashing' || u.status === 'uploading')
      ? u.eta !== undefined
        ? format(s.speedEta, { speed: formatBytes(u.speed, ctx.lang), eta: formatDuration(u.eta) })
        : format(s.speedOnly, { speed: formatBytes(u.speed, ctx.lang) })
      : '';
  return html`<div part="status">${phaseText(u, ctx)}${speed ? html` · <span class="speed">${speed}</span>` : nothing}</div>`;
}

export function renderRow(u: UploadSnapshot, ctx: RowContext, place?: RowPlace): TemplateResult {
  const s = ctx.strings;
  const hashingPhase = u.status === 'hashing' || (u.hashedBytes < u.size && u.uploadedBytes === 0 && u.status !== 'done');
  return html`<li
    part="file"
    data-id=${u.id}
    data-status=${u.status}
    aria-posinset=${place ? place.position : nothing}
    aria-setsize=${place ? place.size : nothing}
    ${cssProperty('margin-block-start', place?.gapBefore ? `${place.gapBefore}px` : '')}
  >
    ${ctx.compact ? nothing : html`<canvas part="poster" aria-hidden="true"></canvas>`}
    <div class="info">
      <div class="name">${u.name}</div>
      <div class="meta">
        <span>${formatBytes(u.size, ctx.lang)}</span>
        ${ctx.duration !== undefined ? html`<span>${format(s.duration, { duration: formatDuration(ctx.duration) })}</span>` : nothing}
      </div>
      ${hashingPhase && u.status !== 'error' && u.status !== 'cancelled'
        ? progressBar(format(s.hashingLabel, { name: u.name }), u.hashedBytes, u.size, ctx)
        : progressBar(format(s.uploadingLabel, { name: u.name }), u.status === 'done' ? u.size : u.uploadedBytes, u.size, ctx)}
      ${status(u, ctx)} ${actions(u, ctx)}
    </div>
  </li>`;
}

/**
 * The rows' templates of the last render, kept per upload id: a row whose snapshot and context are
 * the same objects as last time gets its TemplateResult back instead of being built again. A render
 * comes with every progress tick of any upload, and building a row (its numbers formatted, its
 * buttons' templates) for each of up to 50 unchanged rows was a main-thread cost per tick
 * (bench/README.md, "Main-thread gaps"). The queue hands out the same frozen snapshot until an upload
 * changes, so identity is the test. `act` is not compared: its behaviour must not depend on the render
 * that made it (the element's is `(a, id) => this.#onRowAction(a, id)`). `now` is compared only for a
 * row counting down to a retry, the only row that shows it. Rows not rendered are forgotten.
 */
export class RowTemplates {
  #rows = new Map<string, { deps: readonly unknown[]; template: TemplateResult }>();
  #next = new Map<string, { deps: readonly unknown[]; template: TemplateResult }>();

  /** Call once per render before the rows: the rows of the render before are kept for reuse. */
  begin(): void {
    this.#rows = this.#next;
    this.#next = new Map();
  }

  row(u: UploadSnapshot, ctx: RowContext, place?: RowPlace): TemplateResult {
    const deps = [
      u, ctx.strings, ctx.lang, ctx.disabled, ctx.duration, ctx.compact === true,
      place?.position, place?.size, place?.gapBefore, u.retryAt === undefined ? undefined : ctx.now,
    ];
    const last = this.#rows.get(u.id) ?? this.#next.get(u.id);
    const entry =
      last && last.deps.length === deps.length && last.deps.every((d, i) => d === deps[i])
        ? last
        : { deps, template: renderRow(u, ctx, place) };
    this.#next.set(u.id, entry);
    return entry.template;
  }
}
