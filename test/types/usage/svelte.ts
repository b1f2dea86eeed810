// What svelte-check checks `<vod-uploader …>` markup against, exercised in TypeScript: the
// SvelteHTMLElements entry. Type-checked by test/unit/framework-types.test.ts.
import type { SvelteHTMLElements } from 'svelte/elements';
import type {} from 'vod-uploader/svelte';
import type { AllTrue, HandlersMatchEventMap } from './checks.js';

type Attributes = SvelteHTMLElements['vod-uploader'];

export const handlersMatch: AllTrue<HandlersMatchEventMap<Attributes>> = true;

export const attributes: Attributes = {
  appid: '1250000000',
  'max-size': '21474836480',
  maxFiles: 3,
  signatureProvider: async (ctx) => `signature for ${ctx.path}`,
  'onvod-upload-success': (event) => console.log(event.detail.result.accessUrl),
  'onvod-upload-retry': (event) => console.log(event.detail.attempt, event.detail.delayMs),
};

// @ts-expect-error maxSize is a number
export const wrongSize: Attributes = { maxSize: 'big' };
// @ts-expect-error the success detail has no `url` at its top
export const wrongDetail: Attributes = { 'onvod-upload-success': (event) => event.detail.url };
