// The package on a server (Next.js, Nuxt, Lit SSR render the page in Node): importing it, creating the
// element and calling its render() must not touch window, document, Worker or indexedDB. Node has
// none of them, so any touch throws here; `typeof x` guards are fine. Lit's Node build supplies
// HTMLElement and customElements (its DOM shim), as it does in a server renderer.
import { describe, expect, it } from 'vitest';

describe('the package in Node without DOM globals (SSR)', () => {
  it('has no browser globals to hide a touch', () => {
    for (const name of ['window', 'document', 'Worker', 'indexedDB']) {
      expect(name in globalThis, name).toBe(false);
    }
  });

  it('imports, registers, constructs and renders without touching the DOM', async () => {
    const { VodUploaderElement } = await import('../../src/vod-uploader.js');
    expect(customElements.get('vod-uploader')).toBe(VodUploaderElement);
    const el = new VodUploaderElement();
    el.appid = '1000001';
    // What a server renderer does: no connectedCallback, just willUpdate and render.
    const render = (el as unknown as { render(): unknown }).render.bind(el);
    expect(render()).toBeTruthy();
    expect(el.uploads).toEqual([]);
    expect(el.value).toBe('');
  });

  it('the side-effect-free entry imports too', async () => {
    const mod = await import('../../src/index.js');
    expect(typeof mod.pageUploads.getSnapshot().running).toBe('number');
  });
});
