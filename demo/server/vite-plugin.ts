// Mounts the local upload_slice server in Vite's dev and preview servers (npm start): /files/v1,
// /api/signature, /api/config and the /__* test routes. VOD_MOUNT_SERVER=0 turns it off (the e2e
// tests start their own servers); the other VOD_* variables configure it as for `npm run server`.

import type { Plugin, PreviewServer, ViteDevServer } from 'vite';
import { optionsFromEnv } from './env-options.js';
import { createProtocolHandler, type ProtocolHandler, type ProtocolServerOptions } from './protocol-server.js';

export function protocolServerPlugin(overrides: Partial<ProtocolServerOptions> = {}): Plugin {
  let handler: ProtocolHandler | undefined;
  const enabled = process.env.VOD_MOUNT_SERVER !== '0';

  const mount = (server: ViteDevServer | PreviewServer): void => {
    if (!enabled) return;
    handler ??= createProtocolHandler({ ...optionsFromEnv(), ...overrides });
    const h = handler;
    server.middlewares.use((req, res, next) => h.handle(req, res, next));
    server.httpServer?.once('listening', () => {
      const urls = server.resolvedUrls?.local ?? [];
      const base = (urls[0] ?? '').replace(/\/$/, '');
      setTimeout(() => {
        server.config.logger.info(
          `  vod demo: ${base}/   upload endpoint: ${base}/files/v1   signature: ${base}/api/signature`,
        );
      }, 0);
    });
  };

  return {
    name: 'vod-protocol-server',
    configureServer: mount,
    configurePreviewServer: mount,
    async closeBundle() {
      await handler?.close();
    },
  };
}
