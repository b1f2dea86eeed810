// The generated framework types and editor data: generated from the real manifest, each lists every
// event, property and attribute of it, and the usage files (test/types/usage) type-check with tsc
// against them: against stand-ins of React 19, Vue and Svelte 5 always, and against the real type
// packages when they are installed (see framework-types-setup.ts).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONCURRENCY } from '../../src/engine/options.js';
import { vscodeCssCustomData, vscodeHtmlCustomData, webTypes } from '../../scripts/manifest/editor-data.js';
import type { ElementApi } from '../../scripts/manifest/element-api.js';
import { quote } from '../../scripts/manifest/framework-types.js';
import { writeManifestOutputs } from '../../scripts/manifest/write.js';
import {
  check,
  compilerOptions,
  generateFrameworkTypes,
  realFrameworkPackages,
  root,
  shims,
  usage,
  vueTypesEntry,
  type RealPackages,
} from './framework-types-setup.js';

let api: ElementApi;
let files: Record<string, string>;
let work: string;

beforeAll(async () => {
  ({ api, files, work } = await generateFrameworkTypes());
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Where each framework's types are: the real packages, or the stand-ins. */
function frameworkPaths(real?: RealPackages): Record<string, string[]> {
  if (!real) {
    return {
      react: [join(shims, 'react/index.d.ts')],
      'react/*': [join(shims, 'react/*')],
      vue: [join(shims, 'vue/index.d.ts')],
      'svelte/elements': [join(shims, 'svelte/elements.d.ts')],
    };
  }
  return {
    react: [join(real.react, 'index.d.ts')],
    'react/*': [join(real.react, '*')],
    vue: [vueTypesEntry(real.vue)],
    'svelte/elements': [join(real.svelte, 'elements.d.ts')],
  };
}

/** Runs tsc over the usage files with the generated types as `vod-uploader/<framework>`. */
async function typeCheck(name: string, real?: RealPackages): Promise<string> {
  const config = join(work, `tsconfig.${name}.json`);
  // The generated files are .d.ts: checked in full against the stand-ins; the real packages
  // (svelte wants @types/estree, say) are not ours to check.
  const options = { ...compilerOptions(work, frameworkPaths(real), Boolean(real)), jsx: 'react-jsx' };
  writeFileSync(config, JSON.stringify({ compilerOptions: options, files: ['react.tsx', 'vue.ts', 'svelte.ts'].map((f) => join(usage, f)) }));
  return check(join(root, 'node_modules/.bin/tsc'), ['-p', config], work);
}

describe('framework types', () => {
  it('name every event, writable property and kebab-case attribute of the manifest', () => {
    const shared = files['vod-uploader-api.d.ts'];
    expect(api.events.length).toBeGreaterThan(0);
    for (const event of api.events) {
      expect(shared).toContain(`${quote(event.name)}: ${event.type};`);
      expect(shared).toContain(`${quote(`on${event.name}`)}?: (event: VodUploaderEvents['${event.name}']) => void;`);
    }
    for (const property of api.properties) {
      const line = `  ${property.name}?: ${api.className}['${property.name}'];`;
      if (property.readonly) expect(shared).not.toContain(line);
      else expect(shared).toContain(line);
    }
    for (const attribute of api.attributes.filter((a) => a.name !== a.fieldName)) expect(shared).toContain(`'${attribute.name}'?:`);
    expect(files['react.d.ts']).toContain(`declare module 'react'`);
    expect(files['vue.d.ts']).toContain(`declare module 'vue'`);
    expect(files['svelte.d.ts']).toContain(`declare module 'svelte/elements'`);
  });

  it('type-check a React, a Vue and a Svelte usage against stand-ins of their type packages', async () => {
    expect(await typeCheck('shims')).toBe('');
  }, 60_000);

  const real = realFrameworkPackages();
  const found = real ? Object.values(real).join(', ') : 'not installed';
  it.skipIf(!real)(`type-check the same usage against the real @types/react, vue and svelte (${found})`, async () => {
    expect(await typeCheck('real', real)).toBe('');
  }, 120_000);
});

describe('editor data', () => {
  it('VS Code custom data: every attribute, and every event, part and custom property in the tag docs', () => {
    const data = vscodeHtmlCustomData(api);
    const [tag] = data.tags;
    expect(tag.name).toBe(api.tagName);
    expect(tag.attributes.map((a) => a.name)).toEqual(api.attributes.map((a) => a.name));
    for (const attribute of tag.attributes) {
      const isBoolean = api.attributes.find((a) => a.name === attribute.name)?.type === 'boolean';
      expect('valueSet' in attribute && attribute.valueSet === 'v').toBe(isBoolean);
    }
    for (const item of [...api.events, ...api.cssParts, ...api.cssProperties, ...api.slots]) expect(tag.description.value).toContain(`\`${item.name}\``);
  });

  it('VS Code CSS data: every custom property, and every part as ::part()', () => {
    const data = vscodeCssCustomData(api);
    expect(data.properties.map((p) => p.name)).toEqual(api.cssProperties.map((p) => p.name));
    expect(data.pseudoElements.map((p) => p.name)).toEqual(api.cssParts.map((p) => `::part(${p.name})`));
  });

  it('web-types: attributes, properties, events with their types, slots, parts and custom properties', () => {
    const pkg = { name: 'vod-uploader', version: '0.1.0' };
    const [element] = webTypes(api, pkg).contributions.html.elements;
    expect(element.name).toBe(api.tagName);
    expect(element.attributes.map((a) => a.name)).toEqual(api.attributes.map((a) => a.name));
    expect(element.js.properties.map((p) => p.name)).toEqual(api.properties.map((p) => p.name));
    expect(element.js.events.map((e) => [e.name, e.type])).toEqual(api.events.map((e) => [e.name, e.type]));
    expect(element.slots.map((s) => s.name)).toEqual(api.slots.map((s) => s.name));
    expect(element.css.parts.map((p) => p.name)).toEqual(api.cssParts.map((p) => p.name));
    expect(element.css.properties.map((p) => p.name)).toEqual(api.cssProperties.map((p) => p.name));
  });

  it("the concurrency default the element states is the engine's DEFAULT_CONCURRENCY", () => {
    expect(api.attributes.find((a) => a.name === 'concurrency')?.default).toBe(String(DEFAULT_CONCURRENCY));
  });

  it('attribute defaults are values an author can read, not names of constants', () => {
    const [element] = webTypes(api, { name: 'vod-uploader', version: '0.1.0' }).contributions.html.elements;
    const defaults = element.attributes.flatMap((a) => (a.value.default === undefined ? [] : [[a.name, a.value.default]]));
    expect(defaults.length).toBeGreaterThan(0);
    for (const [name, value] of defaults) expect(value, name).toMatch(/^('[^']*'|-?\d+(\.\d+)?|true|false)$/);
  });
});

describe('package.json', () => {
  it('points its exports, customElements and web-types at the files the build generates', async () => {
    const out = join(work, 'dist');
    const written = await writeManifestOutputs(root, out);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const inDist = (path: string) => path.replace(/^\.?\/?dist\//, '');
    for (const framework of ['react', 'vue', 'svelte']) {
      const entry = pkg.exports[`./${framework}`];
      expect(written, framework).toContain(inDist(entry.types));
      expect(written, framework).toContain(inDist(entry.default));
      expect(readFileSync(join(out, inDist(entry.types)), 'utf8')).toContain(`'${api.tagName}'`);
    }
    for (const file of ['custom-elements.json', 'web-types.json', 'vscode.html-custom-data.json', 'vscode.css-custom-data.json']) {
      expect(written).toContain(inDist(pkg.exports[`./${file}`]));
    }
    expect(written).toContain(inDist(pkg.customElements));
    expect(written).toContain(inDist(pkg['web-types']));
    // The bundle's types are the registering entry's (written by scripts/build.mjs beside the bundle).
    expect(pkg.exports['./bundle'].types).toBe(pkg.exports['./bundle'].default.replace(/\.js$/, '.d.ts'));
  }, 60_000);
});
