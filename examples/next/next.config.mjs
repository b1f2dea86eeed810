// The app's server. The upload_slice backend (here the package's demo server, `npm run server` in
// the repository, or whatever VOD_SERVER names) is proxied under the app's origin, as a real app
// proxies its own API: /files/v1 (uploads) and /api/signature (the signer).
import { resolve } from 'node:path';

const backend = process.env.VOD_SERVER ?? 'http://127.0.0.1:8787';

/** @type {import('next').NextConfig} */
export default {
  async rewrites() {
    return [
      { source: '/files/:path*', destination: `${backend}/files/:path*` },
      { source: '/api/:path*', destination: `${backend}/api/:path*` },
    ];
  },
  // "vod-uploader": "file:../.." is a link to the repository: its dist/ lies outside this folder, so
  // the repository is the root Turbopack may read. An app that installs the package needs none of this.
  turbopack: { root: resolve(import.meta.dirname, '../..') },
};
