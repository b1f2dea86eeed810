// The element's own view state apart from the uploads: the dismissable notices, and the once-a-second
// re-render that makes "Retrying in N seconds" count down. Kept out of `static properties`, so the
// manifest lists only the public API; each asks the host to render when it changes.

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Notice } from './render-panels.js';

export class NoticeList {
  #list: Notice[] = [];
  #counter = 0;

  constructor(private readonly host: ReactiveControllerHost) {}

  get items(): readonly Notice[] {
    return this.#list;
  }
  add(text: string, details?: readonly string[]): void {
    this.#list = [...this.#list, details ? { id: ++this.#counter, text, details } : { id: ++this.#counter, text }];
    this.host.requestUpdate();
  }
  dismiss(id: number): void {
    this.#list = this.#list.filter((n) => n.id !== id);
    this.host.requestUpdate();
  }
  clear(): void {
    this.#list = [];
    this.host.requestUpdate();
  }
}

/** Renders the host again a second after an update while `running()` says a countdown is shown. */
export class CountdownController implements ReactiveController {
  #tick: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly running: () => boolean,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    if (this.#tick || !this.running()) return;
    this.#tick = setTimeout(() => {
      this.#tick = undefined;
      this.host.requestUpdate();
    }, 1000);
  }

  hostDisconnected(): void {
    clearTimeout(this.#tick);
    this.#tick = undefined;
  }
}
