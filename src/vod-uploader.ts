// Registers <vod-uploader> and <vod-uploader-drop>: the package's only side effect. Guarded, so that two copies of the
// bundle on one page (or a hot reload) do not throw "already defined".

import { VodUploaderDropElement } from './drop/vod-uploader-drop.js';
import { VodUploaderElement } from './element/vod-uploader-element.js';

export * from './index.js';

if (!customElements.get('vod-uploader')) customElements.define('vod-uploader', VodUploaderElement);
if (!customElements.get('vod-uploader-drop')) customElements.define('vod-uploader-drop', VodUploaderDropElement);

declare global {
  interface HTMLElementTagNameMap {
    'vod-uploader': VodUploaderElement;
    'vod-uploader-drop': VodUploaderDropElement;
  }
}
