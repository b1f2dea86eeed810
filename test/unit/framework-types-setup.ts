// What the framework-types tests share: the generated type files in a temporary folder, where the
// real framework packages and tools are when installed, the compiler options, and running a checker.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { analyzeManifest } from '../../scripts/manifest/analyze.mjs';
import { elementApi, type ElementApi } from '../../scripts/manifest/element-api.js';
import { frameworkTypeFiles } from '../../scripts/manifest/framework-types.js';

export const root = resolve(import.meta.dirname, '../..');
export const usage = join(root, 'test/types/usage');
export const shims = join(root, 'test/types/shims');

export interface Generated {
  api: ElementApi;
  files: Record<string, string>;
  /** A fresh temporary folder; the type files are in its frameworks/, importing `vod-uploader`. */
  work: string;
}

/** Generates the framework types from the real manifest into a temporary folder. */
export async function generateFrameworkTypes(): Promise<Generated> {
  const api = elementApi(await analyzeManifest(root));
  const files = frameworkTypeFiles(api, { entry: 'vod-uploader' });
  const work = mkdtempSync(join(tmpdir(), 'vod-framework-types-'));
  mkdirSync(join(work, 'frameworks'));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(work, 'frameworks', file), text);
  return { api, files, work };
}

/**
 * The node_modules folders that may hold the real framework packages and tools, first first:
 * VOD_FRAMEWORK_TYPES, the package's own, the example apps' (examples/<app>/node_modules).
 */
function moduleFolders(): string[] {
  const examples = join(root, 'examples');
  return [
    process.env.VOD_FRAMEWORK_TYPES,
    join(root, 'node_modules'),
    ...(existsSync(examples) ? readdirSync(examples).map((app) => join(examples, app, 'node_modules')) : []),
  ].filter((d): d is string => Boolean(d));
}

/** The folder of a package (`vue`, `@types/react`) in the first of those folders that has it. */
export function findPackage(name: string): string | undefined {
  return moduleFolders().map((dir) => join(dir, name)).find((dir) => existsSync(join(dir, 'package.json')));
}

/** An installed tool's executable (`vue-tsc`, `svelte-check`). */
export function findBin(name: string): string | undefined {
  return moduleFolders().map((dir) => join(dir, '.bin', name)).find((bin) => existsSync(bin));
}

/** The folder of each real type package: `@types/react`, `vue`, `svelte`. */
export type RealPackages = Record<'react' | 'vue' | 'svelte', string>;

/** The real type packages, or undefined unless all three are found. */
export function realFrameworkPackages(): RealPackages | undefined {
  const [react, vue, svelte] = [findPackage('@types/react'), findPackage('vue'), findPackage('svelte')];
  return react && vue && svelte ? { react, vue, svelte } : undefined;
}

/** Compiler options of a user's project, with `vod-uploader` and `vod-uploader/<framework>` mapped. */
export function compilerOptions(work: string, paths: Record<string, string[]>, skipLibCheck: boolean) {
  return {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    strict: true,
    noEmit: true,
    skipLibCheck,
    types: [],
    paths: {
      'vod-uploader': [join(root, 'src/index.ts')],
      'vod-uploader/*': [join(work, 'frameworks/*.d.ts')],
      ...paths,
    },
  };
}

const run = promisify(execFile);

/** Runs a checker; its output when it fails, '' when it passes. */
export async function check(bin: string, args: string[], cwd: string): Promise<string> {
  try {
    await run(bin, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return '';
  } catch (error) {
    const { stdout = '', stderr = '', message } = error as { stdout?: string; stderr?: string; message: string };
    return `${stdout}${stderr}` || message;
  }
}

/** The real Vue types entry (vue/package.json `types`). */
export function vueTypesEntry(vue: string): string {
  return join(vue, JSON.parse(readFileSync(join(vue, 'package.json'), 'utf8')).types as string);
}
