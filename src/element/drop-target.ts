// Makes the whole host element a drop target and a paste target: keeps the drag highlight state
// (judged against `accept`), and hands the drop (to be read inside the event: FileIntake.addDrop) or
// the pasted files on. <vod-uploader> and <vod-uploader-drop> both use it.

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { collectPastedFiles, dragVerdict, type PickedFile } from './drop.js';

export type DragState = 'none' | 'accept' | 'reject';

export interface DropTargetConfig {
  accept: () => string;
  disabled: () => boolean;
  /** Called inside the drop event: the DataTransfer's items are gone once it returns. */
  onDrop: (data: DataTransfer) => void;
  /** Pasted files. */
  onFiles: (picked: PickedFile[]) => void;
}

export class DropTargetController implements ReactiveController {
  state: DragState = 'none';

  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #config: DropTargetConfig;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    config: DropTargetConfig,
  ) {
    this.#host = host;
    this.#config = config;
    host.addController(this);
  }

  hostConnected(): void {
    this.#host.addEventListener('dragenter', this.#onDragOver);
    this.#host.addEventListener('dragover', this.#onDragOver);
    this.#host.addEventListener('dragleave', this.#onDragLeave);
    this.#host.addEventListener('drop', this.#onDrop);
    this.#host.addEventListener('paste', this.#onPaste);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener('dragenter', this.#onDragOver);
    this.#host.removeEventListener('dragover', this.#onDragOver);
    this.#host.removeEventListener('dragleave', this.#onDragLeave);
    this.#host.removeEventListener('drop', this.#onDrop);
    this.#host.removeEventListener('paste', this.#onPaste);
  }

  #set(state: DragState): void {
    if (state === this.state) return;
    this.state = state;
    this.#host.requestUpdate();
  }

  readonly #onDragOver = (event: DragEvent): void => {
    if (this.#config.disabled() || !event.dataTransfer?.types.includes('Files')) return;
    // Without preventDefault the browser would open the dropped video itself.
    event.preventDefault();
    const verdict = dragVerdict(event.dataTransfer.items, this.#config.accept());
    event.dataTransfer.dropEffect = verdict === 'reject' ? 'none' : 'copy';
    this.#set(verdict);
  };

  readonly #onDragLeave = (event: DragEvent): void => {
    // dragleave also fires when moving between children; only leaving the host ends the highlight.
    const next = event.relatedTarget as Node | null;
    const root = this.#host.shadowRoot;
    if (!next || !(this.#host.contains(next) || root?.contains(next))) this.#set('none');
  };

  readonly #onDrop = (event: DragEvent): void => {
    this.#set('none');
    if (this.#config.disabled() || !event.dataTransfer) return;
    event.preventDefault();
    this.#config.onDrop(event.dataTransfer);
  };

  readonly #onPaste = (event: ClipboardEvent): void => {
    const picked = collectPastedFiles(event.clipboardData);
    if (this.#config.disabled() || picked.length === 0) return;
    event.preventDefault();
    this.#config.onFiles(picked);
  };
}
