// Opt-in whole-page drop (`page-drop`): files dropped anywhere on the document that no other drop
// target handled (none called preventDefault) go to this uploader, and the browser does not open the
// dropped file in place of the page. Listens on the document only while enabled and connected.

import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface PageDropConfig {
  enabled: () => boolean;
  disabled: () => boolean;
  /** Called inside the drop event. */
  onDrop: (data: DataTransfer) => void;
}

/** dragover repeats every ~50 ms while a drag is over the page; this long without one, it has left. */
const DRAG_GONE_MS = 200;

export class PageDropController implements ReactiveController {
  /** Files are being dragged over the page. */
  active = false;
  #listening = false;
  #gone: ReturnType<typeof setTimeout> | undefined;

  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #config: PageDropConfig;

  constructor(host: ReactiveControllerHost & HTMLElement, config: PageDropConfig) {
    this.#host = host;
    this.#config = config;
    host.addController(this);
  }

  /** Re-inserted (a move, or a removal undone): listens again without waiting for a render. */
  hostConnected(): void {
    if (this.#config.enabled()) this.#listen();
  }

  hostUpdated(): void {
    if (this.#config.enabled() && this.#host.isConnected) this.#listen();
    else this.#unlisten();
  }

  hostDisconnected(): void {
    this.#unlisten();
  }

  #listen(): void {
    if (this.#listening) return;
    this.#listening = true;
    document.addEventListener('dragover', this.#onDragOver);
    document.addEventListener('drop', this.#onDrop);
  }

  #unlisten(): void {
    if (!this.#listening) return;
    this.#listening = false;
    document.removeEventListener('dragover', this.#onDragOver);
    document.removeEventListener('drop', this.#onDrop);
    this.#setActive(false);
  }

  #setActive(active: boolean): void {
    clearTimeout(this.#gone);
    if (active) this.#gone = setTimeout(() => this.#setActive(false), DRAG_GONE_MS);
    if (active === this.active) return;
    this.active = active;
    this.#host.requestUpdate();
  }

  readonly #onDragOver = (event: DragEvent): void => {
    if (event.defaultPrevented || this.#config.disabled() || !event.dataTransfer?.types.includes('Files')) return;
    // Without preventDefault the page would not be a drop target, and the browser would open the file.
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.#setActive(true);
  };

  readonly #onDrop = (event: DragEvent): void => {
    this.#setActive(false);
    if (event.defaultPrevented || this.#config.disabled() || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    this.#config.onDrop(event.dataTransfer);
  };
}
