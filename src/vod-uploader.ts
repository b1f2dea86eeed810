// Registers <vod-uploader>: the package's only side effect. Guarded, so that two copies of the
// bundle on one page (or a hot reload) do not throw "already defined".

import { VodUploaderElement } from './element/vod-uploader-element.js';

export * from './index.js';

if (!customElements.get('vod-uploader')) customElements.define('vod-uploader', VodUploaderElement);

declare global {
  interface HTMLElementTagNameMap {
    'vod-uploader': VodUploaderElement;
  }
}
