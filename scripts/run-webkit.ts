// `npm run test:webkit`: the user journeys in WebKitGTK (test/webkit/webkit.test.ts, node:test),
// under xvfb-run when there is no display. A missing WebKit skips with a line (fails under CI=true).
import { spawnSync } from 'node:child_process';
import { findWebKit, webkitMissing, wantedEngines } from './browsers.js';

const ci = process.env.CI === 'true' || process.env.CI === '1';
if (!wantedEngines().includes('webkit')) {
  console.log('webkit: not asked for (VOD_E2E_ENGINES); skipped');
  process.exit(0);
}
const webkit = findWebKit();
if (!webkit) {
  console.log(`webkit: MISSING ${webkitMissing()}; ${ci ? 'CI=true: failing' : 'the WebKit suite is skipped'} (apt-get install -y webkit2gtk-driver xvfb)`);
  process.exit(ci ? 1 : 0);
}
// Extra arguments go to node:test, e.g. `npm run test:webkit -- --test-name-pattern=reload`.
const node = [process.execPath, '--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...process.argv.slice(2), 'test/webkit/webkit.test.ts'];
// `-a` alone starts at display 99, so two runs started together on one machine (other suites, the
// bench) can pick the same display and one loses its X server mid-run: start the search elsewhere.
const display = String(100 + Math.floor(Math.random() * 800));
const [command, ...args] = webkit.xvfbRun ? [webkit.xvfbRun, '-a', '-n', display, ...node] : node;
const r = spawnSync(command!, args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
