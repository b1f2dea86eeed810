// examples/vue (Vue 3, Vite): `v-model` on the element, `:prop` function properties, `@vod-upload-success`.
import { test } from './helpers/example-app.js';
import { uploadAcrossRouteChange } from './helpers/journey.js';

test.use({ example: 'vue' });

test('an upload outlives a route change and finishes; events, function properties and v-model the Vue way', async ({ page, server, app }) => {
  await uploadAcrossRouteChange(page, server, app, { start: '/#/upload', folder: 'vue' });
});
