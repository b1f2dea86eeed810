// examples/react (React 19, Vite): props as properties, `onvod-upload-success`, a controlled field.
import { test } from './helpers/example-app.js';
import { uploadAcrossRouteChange } from './helpers/journey.js';

test.use({ example: 'react' });

test('an upload outlives a route change and finishes; events, function properties and the form field the React way', async ({ page, server, app }) => {
  await uploadAcrossRouteChange(page, server, app, { start: '/#/upload', folder: 'react' });
});
