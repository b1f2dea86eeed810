// Writes custom-elements.json and everything generated from it into a folder (scripts/build.mjs and
// `npm run analyze` pass dist/):
//   custom-elements.json, vscode.{html,css}-custom-data.json, web-types.json,
//   frameworks/{react,vue,svelte}.d.ts (+ an empty .js each) and frameworks/<tag>-api.d.ts
//
//   tsx scripts/manifest/write.ts <folder>

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeManifest } from './analyze.mjs';
import { vscodeCssCustomData, vscodeHtmlCustomData, webTypes } from './editor-data.js';
import { elementApi } from './element-api.js';
import { frameworkTypeFiles } from './framework-types.js';

export async function writeManifestOutputs(root: string, outDir: string): Promise<string[]> {
  const manifest = await analyzeManifest(root);
  const api = elementApi(manifest);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const written: string[] = [];
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    writeFileSync(join(outDir, file), text);
    written.push(file);
  };
  write('custom-elements.json', json(manifest));
  write('vscode.html-custom-data.json', json(vscodeHtmlCustomData(api)));
  write('vscode.css-custom-data.json', json(vscodeCssCustomData(api)));
  write('web-types.json', json(webTypes(api, pkg)));
  // The framework files sit in dist/frameworks/ and import the package's types from dist/index.d.ts.
  for (const [file, text] of Object.entries(frameworkTypeFiles(api, { entry: '../index.js' }))) {
    write(`frameworks/${file}`, text);
    // An empty module beside each entry, so that a runtime `import 'vod-uploader/react'` resolves too.
    if (!file.includes('-api.')) write(`frameworks/${file.replace(/\.d\.ts$/, '.js')}`, '// Types only: see the .d.ts beside this file.\nexport {};\n');
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const outDir = resolve(root, process.argv[2] ?? 'dist');
  const written = await writeManifestOutputs(root, outDir);
  console.log(`manifest: ${written.length} files in ${outDir}`);
}
