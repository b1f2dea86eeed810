// Before the example apps' tests (npm run test:examples): builds dist/ (the apps depend on the
// package by "vod-uploader": "file:../..", a link, and import its dist/ as a user's app imports the
// installed package), installs each app's own dependencies from its committed package-lock.json
// (`npm ci`, only when node_modules is missing or was installed from another lock), and type-checks
// each app with its framework's checker (tsc, vue-tsc, svelte-check) against the generated types in
// dist/frameworks/. Prints how long each step took.
//
//   tsx scripts/setup-examples.ts [--no-build] [--no-typecheck] [name...]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const examplesDir = join(root, 'examples');
const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const only = args.filter((a) => !a.startsWith('--'));
const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(examplesDir, d.name, 'package.json')))
  .map((d) => d.name)
  .filter((name) => only.length === 0 || only.includes(name));

/** Written into an app's node_modules after `npm ci`: the hash of the lock it was installed from. */
const MARKER = '.vod-installed';

function timed(label: string, run: () => void): void {
  const start = performance.now();
  run();
  console.log(`setup-examples: ${label} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

function npm(cwd: string, ...npmArgs: string[]): void {
  execFileSync('npm', npmArgs, { cwd, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
}

if (!flags.has('--no-build')) timed('npm run build', () => npm(root, 'run', 'build', '--silent'));

for (const name of examples) {
  const dir = join(examplesDir, name);
  const lock = createHash('sha256').update(readFileSync(join(dir, 'package-lock.json'))).digest('hex');
  const marker = join(dir, 'node_modules', MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === lock) {
    console.log(`setup-examples: ${name}: node_modules up to date`);
    continue;
  }
  timed(`${name}: npm ci`, () => npm(dir, 'ci', '--no-audit', '--no-fund', '--loglevel=error'));
  writeFileSync(marker, lock);
}

if (!flags.has('--no-typecheck')) {
  for (const name of examples) timed(`${name}: npm run typecheck`, () => npm(join(examplesDir, name), 'run', 'typecheck', '--silent'));
}
