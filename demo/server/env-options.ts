// Reads the server's configuration from environment variables (shared by main.ts and the Vite plugin).

import { fileURLToPath } from 'node:url';
import type { ProtocolServerOptions } from './protocol-server.js';

/** `.data/` at the repository root (git-ignored). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../.data/', import.meta.url));

function numberFrom(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${text}"`);
  return value;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): ProtocolServerOptions {
  return {
    dataDir: env.VOD_DATA_DIR || DEFAULT_DATA_DIR,
    appid: env.VOD_APPID || undefined,
    bucket: env.VOD_BUCKET || undefined,
    secretId: env.VOD_SECRET_ID || undefined,
    secretKey: env.VOD_SECRET_KEY || undefined,
    sliceSize: numberFrom(env, 'VOD_SLICE_SIZE'),
    signatureTtlSeconds: numberFrom(env, 'VOD_SIGNATURE_TTL'),
    discard: env.VOD_DISCARD === '1' || env.VOD_DISCARD === 'true',
    faults: {
      errorRate: numberFrom(env, 'VOD_FAULT_ERROR_RATE'),
      dropRate: numberFrom(env, 'VOD_FAULT_DROP_RATE'),
      delayMs: numberFrom(env, 'VOD_FAULT_DELAY_MS'),
    },
    allowedOrigins: env.VOD_ALLOWED_ORIGINS ? env.VOD_ALLOWED_ORIGINS.split(',').map((o) => o.trim()) : '*',
    publicUrl: env.VOD_PUBLIC_URL || undefined,
  };
}
