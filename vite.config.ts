// The demo (npm start): Vite serves index.html and mounts the local upload_slice server as a plugin.
// The end-to-end tests reuse this config (playwright.config.ts starts `vite` with VOD_E2E_PORT set).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vite';
import { protocolServerPlugin } from './demo/server/vite-plugin.js';

const e2ePort = process.env.VOD_E2E_PORT;

export default defineConfig({
  base: './',
  plugins: [protocolServerPlugin()],
  worker: { format: 'es' },
  server: {
    host: '127.0.0.1',
    // Under test, no live reload: a saved file (or another run) must not reload a page mid-test.
    hmr: e2ePort ? false : undefined,
  },
  // Each test run gets its own dependency cache, so parallel runs on one machine do not invalidate
  // each other's pre-bundled modules (which reloads open pages).
  cacheDir: e2ePort ? join(tmpdir(), `vod-uploader-vite-${e2ePort}`) : undefined,
  // Pre-bundle every bare import up front: a dependency discovered mid-run makes Vite reload the page.
  optimizeDeps: {
    include: ['lit', 'lit/directive.js', 'lit/directives/repeat.js', 'hash-wasm', 'idb-keyval'],
  },
});
