// <vod-uploader-drop for="uploader-id">: a drop zone that lives anywhere on the page and hands what is
// dropped (folders walked), pasted or chosen to the <vod-uploader> of that id, through the same intake
// as the uploader's own drop zone (VodUploaderElement.addDrop / addFiles / showPicker). Its own module,
// so a page that imports the element class alone does not pay for it.

import { css, html, LitElement } from 'lit';
import { DropTargetController } from '../element/drop-target.js';
import { stringsFor } from '../element/i18n.js';
import type { VodUploaderElement } from '../element/vod-uploader-element.js';

/**
 * A drop zone for a `<vod-uploader>` elsewhere on the page: drop, paste, click, Enter or Space.
 *
 * @tagname vod-uploader-drop
 * @summary A drop zone (and file chooser button) for the `<vod-uploader>` whose id is `for`.
 *
 * @slot - The content; by default "Drop videos here, or press Enter to choose" in the uploader's language.
 *
 * @csspart base - The focusable drop area (role=button).
 *
 * @cssprop [--vod-uploader-border-color=#9ca3af] - The outline.
 * @cssprop [--vod-uploader-accent-color=#2563eb] - The outline while files are dragged over it, and the focus ring.
 * @cssprop [--vod-uploader-error-color=#b91c1c] - The outline while the dragged files would be refused.
 * @cssprop [--vod-uploader-radius=8px] - Corner radius.
 * @cssprop [--vod-uploader-spacing=0.75rem] - Padding.
 */
export class VodUploaderDropElement extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    :host([hidden]) {
      display: none;
    }
    [part='base'] {
      box-sizing: border-box;
      height: 100%;
      padding: calc(var(--vod-uploader-spacing, 0.75rem) * 2) var(--vod-uploader-spacing, 0.75rem);
      border: 2px dashed var(--vod-uploader-border-color, #9ca3af);
      border-radius: var(--vod-uploader-radius, 8px);
      text-align: center;
      cursor: pointer;
    }
    :host([dragover]) [part='base'] {
      border-color: var(--vod-uploader-accent-color, #2563eb);
    }
    :host([dragover='reject']) [part='base'] {
      border-color: var(--vod-uploader-error-color, #b91c1c);
    }
    [part='base']:focus-visible {
      outline: 3px solid var(--vod-uploader-accent-color, #2563eb);
      outline-offset: 2px;
    }
    [aria-disabled='true'] {
      cursor: not-allowed;
      opacity: 0.6;
    }
  `;

  static override properties = {
    /** The id of the `<vod-uploader>` that gets the files (looked up in this element's document or shadow root). */
    htmlFor: { type: String, attribute: 'for' },
  };

  declare htmlFor: string;

  readonly #dropTarget = new DropTargetController(this, {
    accept: () => this.target?.accept ?? '',
    disabled: () => !this.target || this.target.disabled,
    onDrop: (data) => void this.target?.addDrop(data),
    onFiles: (picked) => void this.target?.addFiles(picked),
  });

  constructor() {
    super();
    this.htmlFor = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The uploader may be defined or inserted after this element: its language and state show once it is.
    void customElements.whenDefined('vod-uploader').then(() => requestAnimationFrame(() => this.requestUpdate()));
  }

  /** The uploader named by `for`, when there is one (a `<vod-uploader>`, not any element with that id). */
  get target(): VodUploaderElement | null {
    if (!this.htmlFor) return null;
    const root = this.getRootNode() as Document | ShadowRoot;
    const found = root.getElementById?.(this.htmlFor) ?? null;
    return found?.localName === 'vod-uploader' ? (found as VodUploaderElement) : null;
  }

  protected override updated(): void {
    // `dragover` for page CSS: present while files are dragged over it, "reject" when they would be refused.
    const state = this.#dropTarget.state;
    if (state === 'none') this.removeAttribute('dragover');
    else this.setAttribute('dragover', state === 'reject' ? 'reject' : '');
  }

  #open(): void {
    this.target?.showPicker();
  }

  #onKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    this.#open();
  }

  protected override render(): unknown {
    const target = this.target;
    const unavailable = !target || target.disabled;
    const lang = target?.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
    return html`<div part="base" role="button" tabindex="0" aria-disabled=${unavailable ? 'true' : 'false'} @click=${this.#open} @keydown=${this.#onKeyDown}>
      <slot>${stringsFor(lang, target?.i18n).dropTarget}</slot>
    </div>`;
  }
}
