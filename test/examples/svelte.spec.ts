// examples/svelte (Svelte 5, Vite): properties set by Svelte, `onvod-upload-success`, the field from `onchange`.
import { test } from './helpers/example-app.js';
import { uploadAcrossRouteChange } from './helpers/journey.js';

test.use({ example: 'svelte' });

test('an upload outlives a route change and finishes; events, function properties and the form field the Svelte way', async ({ page, server, app }) => {
  await uploadAcrossRouteChange(page, server, app, { start: '/#/upload', folder: 'svelte' });
});
