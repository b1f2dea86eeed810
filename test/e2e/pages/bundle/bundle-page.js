// Points the bundled <vod-uploader> at the test's protocol server (query: endpoint, signatureUrl,
// appid, bucket), records its events and any CSP violation, for test/e2e/bundle-*.spec.ts.
const params = new URLSearchParams(location.search);
const uploader = document.querySelector('vod-uploader');
for (const [param, attribute] of [
  ['endpoint', 'endpoint'],
  ['signatureUrl', 'signature-url'],
  ['appid', 'appid'],
  ['bucket', 'bucket'],
]) {
  if (params.has(param)) uploader.setAttribute(attribute, params.get(param));
}
window.vodEvents = [];
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
for (const name of ['add', 'start', 'progress', 'success', 'error', 'warning']) {
  document.addEventListener(`vod-upload-${name}`, (e) => window.vodEvents.push({ type: e.type, result: e.detail.result }));
}
