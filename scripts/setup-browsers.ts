// `npm test`'s first step (pretest): finds the three test engines' browsers, installs the missing
// ones where it can (Debian/Ubuntu as root: apt-get; elsewhere Playwright's own Chromium and
// Firefox builds), and says exactly what is still missing. Under CI=true a missing engine fails the
// run; otherwise its tests are skipped, each runner saying so.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { DEBIAN_PACKAGES, engineVersion, findEngine, webkitMissing, wantedEngines, type EngineName } from './browsers.js';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const log = (line: string): void => console.log(`setup-browsers: ${line}`);

function run(command: string, args: string[]): boolean {
  log(`$ ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status === 0;
}

const wanted = wantedEngines();
let missing = wanted.filter((e) => !findEngine(e));

if (missing.length > 0 && process.env.VOD_NO_BROWSER_INSTALL !== '1') {
  const apt = existsSync('/etc/debian_version') && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (apt) {
    const packages = [...new Set(missing.flatMap((e) => DEBIAN_PACKAGES[e]))];
    if (!run('apt-get', ['update', '-q']) || !run('apt-get', ['install', '-y', '-q', ...packages])) log('apt-get failed');
  } else {
    // Playwright's own builds, where this platform has them (WebKit's cannot run the WebDriver suite).
    const own = missing.filter((e): e is Exclude<EngineName, 'webkit'> => e !== 'webkit');
    if (own.length > 0 && !run(process.execPath, [playwrightCli(), 'install', ...own])) log('playwright install failed');
  }
  missing = wanted.filter((e) => !findEngine(e));
}

for (const name of wanted) {
  const engine = findEngine(name);
  if (engine) {
    const how = name === 'webkit' ? ` + MiniBrowser${engine.xvfbRun ? ', under xvfb-run' : ''}` : name === 'firefox' && !engine.stockFirefox ? " (Playwright's build)" : '';
    log(`${name}: ${engine.executable}${how} ${engineVersion(engine)}`.trimEnd());
  }
}
for (const name of missing) {
  const what = name === 'webkit' ? webkitMissing() : `no ${name} browser`;
  const fix = `apt-get install -y ${DEBIAN_PACKAGES[name].join(' ')}` + (name === 'webkit' ? '' : `, or npx playwright install ${name}`);
  log(`MISSING ${name}: ${what} (install: ${fix}); ${ci ? 'CI=true: failing the run' : 'its tests are skipped'}`);
}
if (ci && missing.length > 0) process.exit(1);

/** playwright-core's own CLI (its `bin`; not in its exports map). */
function playwrightCli(): string {
  return join(dirname(createRequire(import.meta.url).resolve('playwright-core/package.json')), 'cli.js');
}
