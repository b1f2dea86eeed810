// Generates the framework type files of the element from its manifest API (element-api.ts):
//   <name>-api.d.ts   properties, kebab-case attributes, the event map and `on<event>` handlers
//   react.d.ts        React 19 `JSX.IntrinsicElements`
//   vue.d.ts          Vue `GlobalComponents` ($props and $emit, what vue-tsc reads)
//   svelte.d.ts       Svelte 5 `SvelteHTMLElements`
// Property types are the class's own (`VodUploaderElement['maxSize']`), so they never drift from it;
// event types are the manifest's (`CustomEvent<VodUploadSuccessDetail>`), imported from `entry`.

import type { ElementApi } from './element-api.js';

const HEADER = '// Generated from custom-elements.json by scripts/manifest/framework-types.ts: do not edit.';

/** A JSDoc block for `description` at `indent`, or nothing. */
function doc(description: string, indent = '  '): string {
  if (!description) return '';
  const lines = description.replaceAll('*/', '*\\/').split('\n');
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

/** A name as an interface key: bare where it is an identifier (`input`), else quoted (`'vod-upload-add'`). */
export const quote = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);

/** What an attribute accepts in markup, from the manifest's attribute type. */
function attributeValueType(type: string): string {
  if (type === 'boolean') return 'boolean';
  if (type === 'number') return 'number | string';
  return 'string';
}

/** Names for the generated types: `VodUploaderElement` → `VodUploader…`. */
function baseName(api: ElementApi): string {
  return api.className.replace(/Element$/, '');
}

/** The shared API file that the React, Vue and Svelte files import. */
function apiTypes(api: ElementApi, entry: string): string {
  const base = baseName(api);
  const eventTypeNames = [...new Set(api.events.flatMap((e) => e.typeNames))].sort();
  const writable = api.properties.filter((p) => !p.readonly);
  const kebab = api.attributes.filter((a) => a.name !== a.fieldName);
  return `${HEADER}
// The <${api.tagName}> API as the framework type files use it: properties, attributes and events.

import type { ${[api.className, ...eventTypeNames].join(', ')} } from '${entry}';

/** The writable properties of <${api.tagName}>: React 19, Vue and Svelte set a prop as a property when the element has it. */
export interface ${base}Properties {
${writable.map((p) => `${doc(p.description)}  ${quote(p.name)}?: ${api.className}['${p.name}'];`).join('\n')}
}

/** The attributes whose names are not their property's (kebab-case), for markup rendered on a server. */
export interface ${base}Attributes {
${kebab.map((a) => `${doc(a.description || `The \`${a.fieldName}\` property as an attribute.`)}  ${quote(a.name)}?: ${attributeValueType(a.type)};`).join('\n')}
}

/** Every event <${api.tagName}> dispatches (they bubble and are composed), by name. */
export interface ${base}Events {
${api.events.map((e) => `${doc(e.description)}  ${quote(e.name)}: ${e.type};`).join('\n')}
}

/** \`on<event-name>\` listeners, the React 19 and Svelte 5 way to listen to a custom element's events. */
export interface ${base}EventHandlers {
${api.events.map((e) => `${doc(e.description)}  ${quote(`on${e.name}`)}?: (event: ${base}Events['${e.name}']) => void;`).join('\n')}
}
`;
}

/** One framework's file: what it is, its imports, the exported type and the module augmentation. */
interface FrameworkFile {
  about: string;
  frameworkImport: string;
  /** Names taken from the API file, without the base name: `Properties`, `Events`, … */
  apiNames: string[];
  declaration: string;
  augmentation: string;
}

function frameworkFile(api: ElementApi, entry: string, apiModule: string, file: FrameworkFile): string {
  const base = baseName(api);
  return `${HEADER}
${file.about}

${file.frameworkImport}
import type { ${api.className} } from '${entry}';
import type { ${file.apiNames.map((n) => base + n).join(', ')} } from '${apiModule}';

export type * from '${apiModule}';

${file.declaration}

${file.augmentation}
`;
}

function reactTypes(api: ElementApi): FrameworkFile {
  const base = baseName(api);
  return {
    about: `// React 19 JSX types for <${api.tagName}>. React 19 sets a prop as a property when the element has one
// (so functions and objects pass as they are), else as an attribute, and adds an \`on<event-name>\`
// function as a listener of that event.`,
    frameworkImport: "import type { DetailedHTMLProps, HTMLAttributes } from 'react';",
    apiNames: ['Attributes', 'EventHandlers', 'Properties'],
    declaration: `/** The props of <${api.tagName}> in JSX. */
export type ${base}ReactProps = DetailedHTMLProps<HTMLAttributes<${api.className}>, ${api.className}> &
  ${base}Properties &
  ${base}Attributes &
  ${base}EventHandlers;`,
    augmentation: `declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      '${api.tagName}': ${base}ReactProps;
    }
  }
}`,
  };
}

function vueTypes(api: ElementApi): FrameworkFile {
  const base = baseName(api);
  return {
    about: `// Vue 3 template types for <${api.tagName}>: vue-tsc checks its props against \`$props\` and its
// \`@event\` listeners against \`$emit\` (Vue sets a prop as a property when the element has one).`,
    frameworkImport: "import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';",
    apiNames: ['Events', 'Properties'],
    declaration: `/** <${api.tagName}> as a Vue component type, for \`GlobalComponents\`. */
export type ${base}VueComponent = new () => ${api.className} & {
  /** @deprecated Not a property of the element: only the props that templates are checked against. */
  $props: HTMLAttributes & ${base}Properties & PublicProps;
  /** @deprecated Not a property of the element: only the events that templates are checked against. */
  $emit: EmitFn<{ [K in keyof ${base}Events]: (event: ${base}Events[K]) => void }>;
};`,
    augmentation: `declare module 'vue' {
  interface GlobalComponents {
    '${api.tagName}': ${base}VueComponent;
  }
}`,
  };
}

function svelteTypes(api: ElementApi): FrameworkFile {
  const base = baseName(api);
  return {
    about: `// Svelte 5 types for <${api.tagName}>. Svelte sets an attribute as a property when the element has
// one, and adds an \`on<event-name>\` function as a listener of that event.`,
    frameworkImport: "import type { HTMLAttributes } from 'svelte/elements';",
    apiNames: ['Attributes', 'EventHandlers', 'Properties'],
    declaration: `/** The attributes of <${api.tagName}> in Svelte markup. */
export type ${base}SvelteProps = HTMLAttributes<${api.className}> & ${base}Properties & ${base}Attributes & ${base}EventHandlers;`,
    augmentation: `declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    '${api.tagName}': ${base}SvelteProps;
  }
}`,
  };
}

/**
 * The framework type files, by file name (relative to one folder). `entry` is the module, seen from
 * that folder, that exports the element class and the event detail types.
 */
export function frameworkTypeFiles(api: ElementApi, { entry }: { entry: string }): Record<string, string> {
  const apiFile = `${api.tagName}-api`;
  const apiModule = `./${apiFile}.js`;
  return {
    [`${apiFile}.d.ts`]: apiTypes(api, entry),
    'react.d.ts': frameworkFile(api, entry, apiModule, reactTypes(api)),
    'vue.d.ts': frameworkFile(api, entry, apiModule, vueTypes(api)),
    'svelte.d.ts': frameworkFile(api, entry, apiModule, svelteTypes(api)),
  };
}
