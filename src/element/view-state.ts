// The element's own view state apart from the uploads: the dismissable notices, and the once-a-second
// re-render that makes "Retrying in N seconds" count down. Kept out of `static properties`, so the
// manifest lists only the public API; each asks the host to render when it changes.

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Notice } from './render-panels.js';

export class NoticeList {
  #list: Notice[] = [];
  #counter = 0;

  readonly #host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
  }

  get items(): readonly Notice[] {
    return this.#list;
  }
  add(text: string, details?: readonly string[]): void {
    this.#list = [...this.#list, details ? { id: ++this.#counter, text, details } : { id: ++this.#counter, text }];
    this.#host.requestUpdate();
  }
  dismiss(id: number): void {
    this.#list = this.#list.filter((n) => n.id !== id);
    this.#host.requestUpdate();
  }
  clear(): void {
    this.#list = [];
    this.#host.requestUpdate();
  }
}

/** Renders the host again a second after an update while `running()` says a countdown is shown. */
export class CountdownController implements ReactiveController {
  #tick: ReturnType<typeof setTimeout> | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #running: () => boolean;

  constructor(host: ReactiveControllerHost, running: () => boolean) {
    this.#host = host;
    this.#running = running;
    host.addController(this);
  }

  hostUpdated(): void {
    if (this.#tick || !this.#running()) return;
    this.#tick = setTimeout(() => {
      this.#tick = undefined;
      this.#host.requestUpdate();
    }, 1000);
  }

  hostDisconnected(): void {
    clearTimeout(this.#tick);
    this.#tick = undefined;
  }
}

/** How long an armed "Cancel all" or "Discard all" waits for the confirming second click. */
export const CONFIRM_WINDOW_MS = 5000;

/**
 * Two clicks for actions that lose much at once ("Cancel all", "Discard all"): the first arms the
 * button (its text asks to click again), the second within CONFIRM_WINDOW_MS does it. No native
 * confirm(): CMSs embed the element in iframes and dialogs where a modal browser prompt is blocked
 * or jarring, and a stray click can then never lose 10,000 uploads.
 */
export class ConfirmGate {
  #armed: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  readonly #host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
  }

  armed(action: string): boolean {
    return this.#armed === action;
  }
  /** True when `action` was armed (do it now); else arms it and returns false. */
  confirm(action: string): boolean {
    if (this.#armed === action) {
      this.disarm();
      return true;
    }
    clearTimeout(this.#timer);
    this.#armed = action;
    this.#timer = setTimeout(() => this.disarm(), CONFIRM_WINDOW_MS);
    this.#host.requestUpdate();
    return false;
  }
  disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#armed === undefined) return;
    this.#armed = undefined;
    this.#host.requestUpdate();
  }
}
