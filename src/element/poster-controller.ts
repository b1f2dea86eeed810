// After each render, paints poster frames into new rows' canvases (then closes the frame) and
// remembers each video's duration while its row is there, so the element never waits on decoding.
// Extraction starts when the page is idle: setting up a <video> costs the main thread several ms,
// which must not add to the task that handles the dropped file (the benchmark's longest main-thread
// gaps were there). poster.ts loads then too, as a chunk of its own: it is not needed to start.

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { whenIdle } from './idle.js';

export class PosterController implements ReactiveController {
  // A TS-private property (read by test/e2e/element-poster.spec.ts, like the element's `controller`).
  private readonly durations = new Map<string, number>();
  readonly #painted = new WeakSet<HTMLCanvasElement>();

  readonly #host: ReactiveControllerHost & HTMLElement;
  /** The File behind an upload id (undefined for rows restored without one). */
  readonly #fileOf: (id: string) => File | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, fileOf: (id: string) => File | undefined) {
    this.#host = host;
    this.#fileOf = fileOf;
    host.addController(this);
  }

  /** Seconds, once the video's metadata was read. */
  duration(id: string): number | undefined {
    return this.durations.get(id);
  }

  /** Forgets the rows that are gone (the queue names them: no walk over the list). */
  forget(ids: readonly string[]): void {
    for (const id of ids) this.durations.delete(id);
  }

  hostUpdated(): void {
    const root = this.#host.shadowRoot;
    if (!root) return;
    for (const canvas of root.querySelectorAll<HTMLCanvasElement>('canvas[part=poster]')) {
      if (this.#painted.has(canvas)) continue;
      this.#painted.add(canvas);
      const id = canvas.closest('[data-id]')?.getAttribute('data-id') ?? '';
      const file = this.#fileOf(id);
      if (!file) continue;
      whenIdle(() => void this.#paint(canvas, id, file));
    }
  }

  async #paint(canvas: HTMLCanvasElement, id: string, file: File): Promise<void> {
    if (!canvas.isConnected) return; // the row went before the page was idle
    let poster: typeof import('./poster.js');
    try {
      poster = await import('./poster.js');
    } catch {
      canvas.dataset.poster = 'none'; // no chunk, no poster: the placeholder stays
      return;
    }
    const info = await poster.posterFor(file);
    let painted = false;
    try {
      if (info.frame && canvas.isConnected) {
        poster.paintPoster(canvas, info.frame);
        painted = true;
      }
    } finally {
      // The canvas keeps the pixels: the bitmap is not needed any more.
      poster.releasePoster(file);
    }
    // How the job ended, for styles (hide an empty placeholder) and tests: it has ended either way.
    canvas.dataset.poster = painted ? 'painted' : 'none';
    if (info.duration !== undefined && canvas.isConnected && !this.durations.has(id)) {
      this.durations.set(id, info.duration);
      this.#host.requestUpdate();
    }
  }
}
