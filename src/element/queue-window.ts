// Windowing of the upload list: past WINDOW_THRESHOLD rows, the list becomes a scroll box of compact
// rows of one fixed height, and only the rows in view (plus OVERSCAN either side) are in the DOM; a
// margin before the first rendered row and a padding after the last stand for the others, so the
// scrollbar is true. The row that holds the keyboard focus stays rendered wherever the box scrolls
// (a focused button must not vanish under the user). Also holds the list's filter.

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { UploadSnapshot } from '../engine/types.js';

/** Up to this many rows the list is the full one of earlier versions (posters, wrapping text). */
export const WINDOW_THRESHOLD = 50;
/** Rows rendered beyond each edge of the view, so Tab and small scrolls find the next row there. */
export const OVERSCAN = 4;
/** Until a compact row was measured: 5rem at 16 px (styles.ts fixes the compact row's height). */
const ESTIMATED_ROW_PX = 80;
const ESTIMATED_VIEW_PX = 480;

export type ListFilter = 'all' | 'active' | 'failed' | 'done';
export const LIST_FILTERS: readonly ListFilter[] = ['all', 'active', 'failed', 'done'];

export function matchesFilter(u: UploadSnapshot, filter: ListFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'failed':
      return u.status === 'error';
    case 'done':
      return u.status === 'done';
    case 'active':
      return u.status !== 'error' && u.status !== 'done' && u.status !== 'cancelled';
  }
}

/** One rendered row: its index in the (filtered) list and the gap before it, in px. */
export interface WindowRow {
  index: number;
  gapBefore: number;
}

export class ListWindow implements ReactiveController {
  filter: ListFilter = 'all';
  #scrollTop = 0;
  #viewHeight = ESTIMATED_VIEW_PX;
  #rowHeight = ESTIMATED_ROW_PX;
  #focusedId: string | undefined;

  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #box: () => HTMLElement | null;

  constructor(host: ReactiveControllerHost & HTMLElement, box: () => HTMLElement | null) {
    this.#host = host;
    this.#box = box;
    host.addController(this);
  }

  setFilter(filter: ListFilter): void {
    this.filter = filter;
    this.#scrollTop = 0;
    const box = this.#box();
    if (box) box.scrollTop = 0;
    this.#host.requestUpdate();
  }

  /** The list the view shows: the filter walks the list only while one is chosen. */
  visible(uploads: readonly UploadSnapshot[]): readonly UploadSnapshot[] {
    return this.filter === 'all' ? uploads : uploads.filter((u) => matchesFilter(u, this.filter));
  }

  get rowHeight(): number {
    return this.#rowHeight;
  }

  /** Which rows of a list of `length` to render; `focusedAt` is the focused row's index, if any. */
  rows(length: number, focusedAt: number): { rows: WindowRow[]; after: number } {
    const h = this.#rowHeight;
    const first = Math.max(0, Math.floor(this.#scrollTop / h) - OVERSCAN);
    const last = Math.min(length, Math.ceil((this.#scrollTop + this.#viewHeight) / h) + OVERSCAN);
    const indexes: number[] = [];
    if (focusedAt >= 0 && focusedAt < first) indexes.push(focusedAt);
    for (let i = first; i < last; i++) indexes.push(i);
    if (focusedAt >= last && focusedAt < length) indexes.push(focusedAt);
    let next = 0;
    const rows = indexes.map((index) => {
      const row = { index, gapBefore: (index - next) * h };
      next = index + 1;
      return row;
    });
    return { rows, after: (length - next) * h };
  }

  get focusedId(): string | undefined {
    return this.#focusedId;
  }

  onScroll(event: Event): void {
    const box = event.currentTarget as HTMLElement;
    const before = Math.floor(this.#scrollTop / this.#rowHeight);
    this.#scrollTop = box.scrollTop;
    this.#viewHeight = box.clientHeight || this.#viewHeight;
    if (Math.floor(this.#scrollTop / this.#rowHeight) !== before) this.#host.requestUpdate();
  }

  onFocusIn(event: FocusEvent): void {
    const row = (event.target as HTMLElement).closest?.('[data-id]');
    this.#focusedId = row?.getAttribute('data-id') ?? undefined;
  }

  onFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (!next || !(event.currentTarget as Node).contains(next)) this.#focusedId = undefined;
  }

  /** Measures the compact row once it exists (its height is fixed by CSS, so once is enough per size). */
  hostUpdated(): void {
    const box = this.#box();
    const row = box?.querySelector<HTMLElement>('[part~=file]');
    if (!box || !row) return;
    this.#viewHeight = box.clientHeight || this.#viewHeight;
    const height = row.getBoundingClientRect().height;
    if (height > 0 && Math.abs(height - this.#rowHeight) > 0.5) {
      this.#rowHeight = height;
      this.#host.requestUpdate();
    }
  }
}
