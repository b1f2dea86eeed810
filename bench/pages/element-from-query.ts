// The bench pages' <vod-uploader>: made from the page's query string (endpoint, signatureUrl, appid,
// bucket, folder, concurrency, parallelFiles) and put in the page.

import '../../src/vod-uploader.js';

const ATTRIBUTES = [
  ['endpoint', 'endpoint'],
  ['signatureUrl', 'signature-url'],
  ['appid', 'appid'],
  ['bucket', 'bucket'],
  ['folder', 'folder'],
  ['concurrency', 'concurrency'],
  ['parallelFiles', 'parallel-files'],
] as const;

export function elementFromQuery(params: URLSearchParams, extra: Record<string, string> = {}): HTMLElementTagNameMap['vod-uploader'] {
  const element = document.createElement('vod-uploader');
  for (const [name, value] of Object.entries(extra)) element.setAttribute(name, value);
  for (const [param, attribute] of ATTRIBUTES) {
    const value = params.get(param);
    if (value !== null) element.setAttribute(attribute, value);
  }
  document.body.append(element);
  return element;
}
