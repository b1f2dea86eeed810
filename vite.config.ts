// The demo (npm start): Vite serves index.html and mounts the local upload_slice server as a plugin.
import { defineConfig } from 'vite';
import { protocolServerPlugin } from './demo/server/vite-plugin.js';

export default defineConfig({
  base: './',
  plugins: [protocolServerPlugin()],
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
});
