// What vue-tsc checks a `<vod-uploader …>` template against, exercised in TypeScript: the props of
// the GlobalComponents entry and its `$emit`. Type-checked by test/unit/framework-types.test.ts.
import type { GlobalComponents } from 'vue';
import type { VodUploadDetail, VodUploadSuccessDetail } from 'vod-uploader';
import type { VodUploaderEvents } from 'vod-uploader/vue';
import type { AllTrue, EventsMatchEventMap } from './checks.js';

type Uploader = InstanceType<GlobalComponents['vod-uploader']>;

export const eventsMatch: AllTrue<EventsMatchEventMap<VodUploaderEvents>> = true;

export const props: Uploader['$props'] = {
  appid: '1250000000',
  maxSize: 21474836480,
  multiple: true,
  signatureProvider: async (ctx) => `signature for ${ctx.path}`,
  metadata: (file) => ({ video_title: file.name }),
};

declare const emit: Uploader['$emit'];
declare const success: CustomEvent<VodUploadSuccessDetail>;
declare const added: CustomEvent<VodUploadDetail>;
emit('vod-upload-success', success);
emit('vod-upload-add', added);

// @ts-expect-error maxSize is a number
export const wrongSize: Uploader['$props'] = { maxSize: 'big' };
// @ts-expect-error an add event is not a success event (no result)
emit('vod-upload-success', added);
// @ts-expect-error no such event
emit('vod-upload-finished', success);
