// The dev server settings of the Vite example apps. The upload_slice backend (here the package's demo
// server, `npm run server` in the repository, or whatever VOD_SERVER names) is proxied under the
// app's origin, as a real app proxies its own API: /files/v1 (uploads) and /api/signature (the signer).
const backend = process.env.VOD_SERVER ?? 'http://127.0.0.1:8787';

export const exampleServer = {
  proxy: { '/files': backend, '/api': backend },
  // "vod-uploader": "file:../.." is a link to the repository: let Vite serve its dist/ (and this
  // folder). An app that installs the package from the registry needs none of this.
  fs: { allow: ['../..'] },
};
