// The user journeys of test/journeys/journeys.ts in Chromium and Firefox (Playwright). The same
// journeys run in WebKitGTK over WebDriver (test/webkit/webkit.test.ts): one suite, three engines.
import { journeys, runJourney } from '../journeys/journeys.js';
import { playwrightDriver } from '../journeys/playwright-driver.js';
import { test } from './helpers/faults.js';

for (const journey of journeys) {
  test(journey.name, async ({ page, browserName }) => {
    test.setTimeout(journey.timeoutMs + 30_000);
    const engine = browserName === 'webkit' ? 'webkit' : browserName;
    const reason = journey.skip?.[engine];
    test.skip(reason !== undefined, reason);
    await runJourney(journey, playwrightDriver(page, engine));
  });
}
