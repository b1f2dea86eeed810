// The element's attributes as the engine's options: the upload target, concurrency, start mode, and
// the metadata each file is sent with (biz-attr and magic-context, then the `metadata` callback's).

import { targetPath } from '../engine/fingerprint.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PARALLEL_FILES, type QueueOptions } from '../engine/options.js';
import type { Metadata } from '../engine/types.js';
import { DEFAULT_ENDPOINT } from '../protocol/client.js';

/** The attributes and properties the queue is configured from. */
export interface UploadSettings {
  /** The `files/v1` endpoint ('' for the default): part of the target. */
  endpoint: string;
  appid: string;
  bucket: string;
  /** The upload folder (the protocol calls it `dir`). */
  folder: string;
  /** An explicit queue name: elements with the same one share their uploads (page-uploads.ts). */
  queue: string;
  noLeaveWarning: boolean;
  concurrency: number;
  parallelFiles: number;
  manual: boolean;
  sliceSha: boolean;
  bizAttr: string;
  magicContext: string;
  metadata: ((file: File) => Metadata | Promise<Metadata> | undefined) | undefined;
}

/** A change of any of these reconfigures the queue. */
export const UPLOAD_SETTING_KEYS = [
  'endpoint',
  'appid',
  'bucket',
  'folder',
  'queue',
  'noLeaveWarning',
  'concurrency',
  'parallelFiles',
  'manual',
  'sliceSha',
  'metadata',
  'bizAttr',
  'magicContext',
] as const satisfies ReadonlyArray<keyof UploadSettings>;

/**
 * Which of the page's queues the element shows: its `queue` name, else its target, endpoint included
 * (the same appid and bucket on another service, e.g. a staging endpoint, is another destination).
 */
export function queueKeyOf(settings: Pick<UploadSettings, 'endpoint' | 'appid' | 'bucket' | 'folder' | 'queue'>): string {
  if (settings.queue) return `queue:${settings.queue}`;
  const folder = targetPath({ appid: settings.appid, bucket: settings.bucket, dir: settings.folder }, '');
  return `target:${JSON.stringify([settings.endpoint || DEFAULT_ENDPOINT, settings.appid, settings.bucket, folder])}`;
}

/** Reads `settings` now, and biz-attr / magic-context again for each file, when it is sent. */
export function queueOptionsFrom(settings: UploadSettings): QueueOptions {
  const userMetadata = settings.metadata;
  return {
    target: { appid: settings.appid, bucket: settings.bucket, dir: settings.folder },
    concurrency: settings.concurrency > 0 ? settings.concurrency : DEFAULT_CONCURRENCY,
    parallelFiles: settings.parallelFiles > 0 ? settings.parallelFiles : DEFAULT_PARALLEL_FILES,
    autoStart: !settings.manual,
    sliceSha: settings.sliceSha,
    metadata: async (file: File): Promise<Metadata> => {
      const base: Metadata = { video_title: file.name };
      if (settings.bizAttr) base.biz_attr = settings.bizAttr;
      if (settings.magicContext) base.magicContext = settings.magicContext;
      return { ...base, ...((await userMetadata?.(file)) ?? {}) };
    },
  };
}
