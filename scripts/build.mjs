// npm run build: the library for bundler users (ESM + .d.ts, dependencies external), the signer for
// Node/edge, one self-contained bundle for plain pages, and custom-elements.json. Runs Vite's JS API.
//
//   dist/index.js                 side-effect-free exports
//   dist/vod-uploader.js          registers <vod-uploader>
//   dist/signer.js                server-side signer (never in the browser bundle)
//   dist/vod-uploader.bundle.js   everything inlined but the hash worker and what loads on demand
//                                 (languages, the main-thread hasher), which sit beside it in assets/
//   dist/**/*.d.ts, dist/custom-elements.json
//   dist/frameworks/{react,vue,svelte}.d.ts, dist/web-types.json, dist/vscode.{html,css}-custom-data.json

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const bin = (name) => join(root, 'node_modules', '.bin', name);

// Bundler users get lit and idb-keyval from their own node_modules (one copy of Lit per page). The
// SHA-1 kernel is hash-wasm's, but carried in src/hashing/sha1-wasm.ts: nothing imports hash-wasm.
const external = (id) => /^(lit|@lit\/|lit-html|lit-element|hash-wasm|idb-keyval)(\/|$)/.test(id);

/**
 * The worker is one self-contained module without imports or exports, which bundlers that re-bundle
 * the package (Turbopack) take for CommonJS and warn about in a `"type": "module"` package: an empty
 * `export {}` says what it is.
 */
const workerIsModule = {
  name: 'vod-worker-is-module',
  renderChunk(code) {
    return /^\s*(import|export)\b/m.test(code) ? null : { code: `${code}\nexport {};\n`, map: null };
  },
};

/** Shared settings: relative base so worker URLs resolve against import.meta.url, not the site root (vite#15406). */
const common = {
  root,
  configFile: false,
  base: './',
  logLevel: 'warn',
  worker: { format: 'es', plugins: () => [workerIsModule] },
};

rmSync(dist, { recursive: true, force: true });

/**
 * Vite writes the worker as `new Worker(new URL(new URL("assets/w.js", import.meta.url).href, "" +
 * import.meta.url))`, which only Vite understands: webpack and Turbopack (Next.js) look for the literal
 * `new Worker(new URL("./w.js", import.meta.url))` and fail on the nested form ("Can't resolve
 * <dynamic>"). Write that literal form, which every bundler and every browser reads the same way.
 */
const NESTED_WORKER_URL = /new Worker\(new URL\(\s*(?:\/\* @vite-ignore \*\/\s*)?new URL\((["'`])([^"'`]+)\1,\s*import\.meta\.url\)\.href,\s*(["'`])\3\s*\+\s*import\.meta\.url\s*\)/g;
const plainWorkerUrls = {
  name: 'vod-plain-worker-urls',
  renderChunk(code) {
    if (!NESTED_WORKER_URL.test(code)) return null;
    NESTED_WORKER_URL.lastIndex = 0;
    // As many line breaks as the nested form had, so the source map's lines stay right (map: null keeps it).
    const plain = (match, _q, url) =>
      `new Worker(new URL(${JSON.stringify(url.startsWith('.') ? url : `./${url}`)}, import.meta.url)${'\n'.repeat(match.split('\n').length - 1)}`;
    return { code: code.replace(NESTED_WORKER_URL, plain), map: null };
  },
};

// 1. The modules for bundlers.
await build({
  ...common,
  plugins: [plainWorkerUrls],
  build: {
    outDir: dist,
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: {
        index: join(root, 'src/index.ts'),
        'vod-uploader': join(root, 'src/vod-uploader.ts'),
        signer: join(root, 'src/signer/index.ts'),
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rollupOptions: { external },
  },
});

/**
 * The minifier leaves the text of Lit's css`` templates (the two elements' styles) as written: collapse their comments and
 * white space in the bundle (plain text, no `${}` in them; a template with one is left alone), and
 * what CSS minifiers drop: a rule's last `;`, quotes around an identifier in `[attr='value']`, the
 * leading zero of `0.5`.
 */
const compactCssTemplates = {
  name: 'vod-compact-css-templates',
  transform(code, id) {
    if (!/src[\\/](element[\\/]styles|drop[\\/]vod-uploader-drop)\.ts$/.test(id)) return null;
    // The line breaks taken out go after the template, so every later line keeps its number and the
    // source map (map: null: the lines are the same) still attributes the bytes to this file.
    const compacted = code.replace(/\bcss`([^`$]*)`/g, (_, text) => {
      const compact = text
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\s+/g, ' ')
        .replace(/\s*([{};,>])\s*/g, '$1')
        .replace(/:\s+/g, ':')
        // A rule's last `;`, the quotes of an attribute selector's identifier value, a leading 0.
        .replace(/;}/g, '}')
        .replace(/(\[[\w-]+[~|^$*]?=)'([A-Za-z_][\w-]*)'\]/g, '$1$2]')
        .replace(/([\s:,(])0\.(\d)/g, '$1.$2')
        .trim();
      return `css\`${compact}\`${'\n'.repeat(text.split('\n').length - 1)}`;
    });
    return { code: compacted, map: null };
  },
};

// 2. One file for <script type="module" src=".../vod-uploader.bundle.js"> from any folder.
await build({
  ...common,
  // Not plainWorkerUrls: the bundle is for plain pages (browsers read either form), and its map is minified.
  plugins: [compactCssTemplates],
  build: {
    outDir: dist,
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    lib: {
      entry: join(root, 'src/vod-uploader.ts'),
      formats: ['es'],
      fileName: () => 'vod-uploader.bundle.js',
    },
    // Lib mode leaves whitespace in ES output (to keep pure annotations for downstream bundlers);
    // this file is final, so minify it fully. What loads on demand (the locales but English, the
    // main-thread hasher) stays in chunks beside the worker, so a page downloads only what it uses.
    // Code the main-thread hasher shares with the bundle goes to a shared chunk both import: were it
    // imported from the bundle itself, a page that loads `vod-uploader.bundle.js?v=2` would get a second
    // copy of the element under the bare URL.
    rollupOptions: { output: { minify: true, chunkFileNames: 'assets/[name]-[hash].js' } },
  },
});

// 3. Types (TypeScript 7's native tsc) and the custom elements manifest.
execFileSync(bin('tsc'), ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
// The manifest (the analyzer's settings are in custom-elements-manifest.config.js) and what is
// generated from it: the React/Vue/Svelte types and the VS Code and JetBrains data.
execFileSync(bin('tsx'), [join(root, 'scripts/manifest/write.ts'), dist], { stdio: 'inherit', cwd: root });
// The bundle exports what vod-uploader.js does (and registers the element the same way).
writeFileSync(join(dist, 'vod-uploader.bundle.d.ts'), "export * from './vod-uploader.js';\n");

// 4. Checks a broken build would otherwise ship silently.
const files = readdirSync(dist, { recursive: true }).map(String);
const jsFiles = files.filter((f) => f.endsWith('.js'));
const entries = ['index.js', 'vod-uploader.js', 'signer.js', 'vod-uploader.bundle.js', 'index.d.ts', 'vod-uploader.bundle.d.ts'];
const generated = ['custom-elements.json', 'web-types.json', 'vscode.html-custom-data.json', 'vscode.css-custom-data.json', 'frameworks/react.d.ts', 'frameworks/vue.d.ts', 'frameworks/svelte.d.ts'];
for (const entry of [...entries, ...generated]) {
  if (!files.includes(entry)) throw new Error(`build: dist/${entry} is missing`);
}
const bundle = readFileSync(join(dist, 'vod-uploader.bundle.js'), 'utf8');
// The worker must be found relative to the bundle: new URL("./assets/…", import.meta.url), never "/assets/…".
const workerRefs = [...bundle.matchAll(/new URL\(\s*["'`]([^"'`]+)["'`]\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[1]);
if (workerRefs.length === 0 || workerRefs.some((u) => u.startsWith('/') || /^[a-z]+:/i.test(u))) {
  throw new Error(`build: the bundle's worker URLs must be relative to import.meta.url, found ${JSON.stringify(workerRefs)}`);
}
for (const file of jsFiles) {
  const text = readFileSync(join(dist, file), 'utf8');
  if (!file.includes('bundle') && /new Worker\(\s*new URL\(\s*(\/\*[^*]*\*\/\s*)?new URL/.test(text)) throw new Error(`build: dist/${file} has a nested worker URL that webpack and Turbopack cannot resolve`);
  if (/\beval\(|new Function\(/.test(text)) throw new Error(`build: dist/${file} uses eval/new Function (breaks a strict CSP)`);
  if (file === 'signer.js' && /customElements|LitElement/.test(text)) throw new Error('build: signer.js pulls in browser code');
}
if (/signUploadSignature|verifyUploadSignature/.test(bundle)) throw new Error('build: the browser bundle contains the signer');
console.log(`build: ${jsFiles.length} JS files; worker URLs ${workerRefs.join(', ')}`);
