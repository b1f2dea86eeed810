// The element's types for Vue templates (GlobalComponents), checked by vue-tsc.
import type {} from 'vod-uploader/vue';
