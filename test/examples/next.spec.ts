// examples/next (Next.js App Router, server-rendered): the server renders the page with the element
// in it (no DOM on the server: nothing the package runs at import may touch one) and logs no error;
// after hydration the app goes through the same journey as the client-rendered ones.
import { test, expect } from './helpers/example-app.js';
import { uploadAcrossRouteChange } from './helpers/journey.js';

test.use({ example: 'next' });

/** What a failed server render, or a module that touched `window` on the server, leaves in Next's log. */
const SERVER_ERROR = /⨯|\b\w*Error\b/;

test('the server renders the element into the HTML without errors', async ({ request, app }) => {
  const response = await request.get(`${app.url}/upload`);
  expect(response.status()).toBe(200);
  const html = await response.text();
  expect(html).toMatch(/<vod-uploader disabled="" endpoint="\/files\/v1" appid="1000001" bucket="videos" folder="next" name="video"><\/vod-uploader>/);
  expect(app.log()).not.toMatch(SERVER_ERROR);
});

test('after hydration an upload outlives a route change and finishes; events, function properties and the form field the React way', async ({ page, server, app }) => {
  await uploadAcrossRouteChange(page, server, app, { start: '/upload', folder: 'next' });
  expect(app.log()).not.toMatch(SERVER_ERROR);
});
