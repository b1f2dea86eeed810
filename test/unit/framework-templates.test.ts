// The generated Vue and Svelte types as the frameworks' own checkers read them: vue-tsc over a Vue
// SFC and svelte-check over a Svelte 5 component (test/types/usage/uploader.{vue,svelte}), when the
// checker and its framework are installed (see framework-types-setup.ts; neither is a dependency of
// this package, the example apps bring them). Reported as skipped otherwise.
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, compilerOptions, findBin, findPackage, generateFrameworkTypes, usage, vueTypesEntry } from './framework-types-setup.js';

let work: string;
beforeAll(async () => {
  ({ work } = await generateFrameworkTypes());
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A project folder with `file`, the framework package linked into its node_modules, and a tsconfig
 * that maps the framework's types module there too (the generated files, outside the folder, augment it).
 */
function project(file: string, framework: string, packageDir: string, types: Record<string, string[]>): string {
  const dir = join(work, framework);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(packageDir, join(dir, 'node_modules', framework), 'dir');
  copyFileSync(join(usage, file), join(dir, file));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: compilerOptions(work, types, true), include: [`*${file.slice(file.lastIndexOf('.'))}`] }));
  return dir;
}

describe('framework template checkers', () => {
  const vueTsc = findBin('vue-tsc');
  const vue = findPackage('vue');
  it.skipIf(!vueTsc || !vue)(`vue-tsc: props and @vod-upload-* listeners of <vod-uploader> in a Vue SFC (${vueTsc ?? 'vue-tsc not installed'})`, async () => {
    const dir = project('uploader.vue', 'vue', vue!, { vue: [vueTypesEntry(vue!)] });
    // The SFC's @vue-expect-error comments make vue-tsc fail when a mistake is not refused.
    expect(await check(vueTsc!, ['-p', join(dir, 'tsconfig.json')], dir)).toBe('');
  }, 120_000);

  const svelteCheck = findBin('svelte-check');
  const svelte = findPackage('svelte');
  it.skipIf(!svelteCheck || !svelte)(`svelte-check: attributes and onvod-upload-* of <vod-uploader> in Svelte markup (${svelteCheck ?? 'svelte-check not installed'})`, async () => {
    const dir = project('uploader.svelte', 'svelte', svelte!, { 'svelte/elements': [join(svelte!, 'elements.d.ts')] });
    const output = await check(svelteCheck!, ['--workspace', dir, '--tsconfig', join(dir, 'tsconfig.json'), '--output', 'machine'], dir);
    // svelte-check has no expect-error in markup: an error on each line after an "expect-error"
    // comment, and on no other line.
    const lines = readFileSync(join(usage, 'uploader.svelte'), 'utf8').split('\n');
    const expected = lines.flatMap((line, i) => (line.includes('<!-- expect-error') ? [i + 2] : []));
    const errors = [...output.matchAll(/ ERROR "uploader\.svelte" (\d+):\d+ /g)].map((m) => Number(m[1]));
    expect(expected.length).toBeGreaterThan(0);
    expect([...new Set(errors)].sort((a, b) => a - b), output).toEqual(expected);
  }, 120_000);
});
