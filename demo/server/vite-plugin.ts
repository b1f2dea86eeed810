// Placeholder until the protocol server lands: mounts nothing.
import type { Plugin } from 'vite';

export function protocolServerPlugin(): Plugin {
  return { name: 'vod-protocol-server' };
}
