// Section 6: what a page downloads. The gzip size of dist/vod-uploader.bundle.js with every asset it
// loads (the hashing worker, with the SHA-1 WebAssembly inlined), and of the npm entry
// dist/index.js with its local imports (dependencies such as lit are the app's bundler's business).

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../lib/files.js';
import { bytesBySource, type SourceShare } from '../lib/source-map.js';

export interface BundleFile {
  path: string;
  bytes: number;
  gzip: number;
}

export interface BundleSectionResult {
  /** The <script> bundle and what it loads at once (the worker): what every page downloads. */
  bundle: { files: BundleFile[]; gzip: number; bytes: number };
  /** Chunks the bundle imports only on demand (a language's strings, the main-thread hasher), each with what it loads. */
  onDemand?: Array<BundleFile & { language: boolean }>;
  /** dist/index.js and its local imports (no node_modules). */
  npmEntry: { files: BundleFile[]; gzip: number; bytes: number };
  /** When dist/ was built (its bundle's mtime): a stale dist/ measures old code. */
  builtAt: string;
  builtNow: boolean;
  /** The bundle's largest sources (from its source map): what to cut first. */
  bundleSources?: SourceShare[];
}

const DIST = join(REPO_ROOT, 'dist');

/** Relative references a built module makes: static imports, `new URL('./x', import.meta.url)`, or only dynamic `import()`s. */
function localReferences(code: string, kind: 'eager' | 'dynamic' = 'eager'): string[] {
  const found = new Set<string>();
  if (kind === 'dynamic') {
    for (const match of code.matchAll(/\bimport\s*\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g)) found.add(match[1]!);
    return [...found];
  }
  const patterns = [
    /\bfrom\s*["'](\.{1,2}\/[^"']+)["']/g,
    /\bimport\s*["'](\.{1,2}\/[^"']+)["']/g,
    // Minifiers may write the URL as a template literal: new URL(`assets/x.js`, import.meta.url).
    /new URL\(\s*["'`](\.{0,2}\/?[^"'`:]+\.(?:js|wasm|mjs))["'`]\s*,\s*import\.meta\.url/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.add(match[1]!);
  return [...found];
}

function measure(path: string): BundleFile {
  const content = readFileSync(path);
  return { path: relative(REPO_ROOT, path), bytes: content.length, gzip: gzipSync(content, { level: 9 }).length };
}

/** The file and everything it loads at once by relative reference, each once (dynamic imports apart). */
function closure(entry: string): BundleFile[] {
  const seen = new Map<string, BundleFile>();
  const visit = (path: string): void => {
    if (seen.has(path) || !existsSync(path)) return;
    seen.set(path, measure(path));
    if (!/\.m?js$/.test(path)) return;
    for (const ref of localReferences(readFileSync(path, 'utf8'))) visit(resolve(dirname(path), ref));
  };
  visit(entry);
  return [...seen.values()];
}

/** The chunks that the eager files import on demand, each counted with what it loads that the page does not have yet. */
function onDemandChunks(eager: BundleFile[]): Array<BundleFile & { language: boolean }> {
  const have = new Set(eager.map((f) => f.path));
  // A language's chunk is named after its table (src/element/locales/ja.ts → assets/ja-<hash>.js).
  const languages = readdirSync(join(REPO_ROOT, 'src/element/locales')).map((f) => f.replace(/\.ts$/, ''));
  const chunks = new Map<string, BundleFile & { language: boolean }>();
  for (const file of eager) {
    const path = join(REPO_ROOT, file.path);
    if (!/\.m?js$/.test(path)) continue;
    for (const ref of localReferences(readFileSync(path, 'utf8'), 'dynamic')) {
      const target = resolve(dirname(path), ref);
      const extra = closure(target).filter((f) => !have.has(f.path));
      const sum = total(extra);
      const language = languages.some((l) => basename(target).startsWith(`${l}-`));
      if (extra.length) chunks.set(target, { path: relative(REPO_ROOT, target), bytes: sum.bytes, gzip: sum.gzip, language });
    }
  }
  return [...chunks.values()];
}

function total(files: BundleFile[]): { files: BundleFile[]; gzip: number; bytes: number } {
  return { files, gzip: files.reduce((s, f) => s + f.gzip, 0), bytes: files.reduce((s, f) => s + f.bytes, 0) };
}

export function runBundleSection(options: { build: boolean }, log: (line: string) => void): BundleSectionResult | undefined {
  const bundlePath = join(DIST, 'vod-uploader.bundle.js');
  let builtNow = false;
  if (!existsSync(bundlePath) && options.build) {
    log('  dist/ is missing: npm run build');
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    builtNow = true;
  }
  if (!existsSync(bundlePath)) {
    log('  ! no dist/vod-uploader.bundle.js: bundle section skipped');
    return undefined;
  }
  const bundle = total(closure(bundlePath));
  const onDemand = onDemandChunks(bundle.files);
  const npmEntry = total(closure(join(DIST, 'index.js')));
  if (bundle.files.length < 2) log('  ! the bundle references no worker asset: is the worker inlined or missing?');
  const bundleSources = bytesBySource(bundlePath)?.slice(0, 10);
  return { bundle, onDemand, npmEntry, builtAt: statSync(bundlePath).mtime.toISOString(), builtNow, bundleSources };
}
