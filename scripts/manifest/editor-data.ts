// Generates the editors' data of the element from its manifest API (element-api.ts):
//   vscode.html-custom-data.json   VS Code's HTML custom data (tags and attributes, with docs)
//   vscode.css-custom-data.json    VS Code's CSS custom data (the custom properties, ::part() names)
//   web-types.json                 JetBrains web-types: attributes, properties, events, slots, parts, custom properties

import type { ApiAttribute, ElementApi, Named } from './element-api.js';

const list = (title: string, items: Named[]) =>
  items.length === 0 ? '' : `\n\n**${title}**\n\n${items.map((i) => `- \`${i.name}\`${i.description ? ` — ${i.description}` : ''}`).join('\n')}`;

/** The tag's documentation in Markdown: what VS Code shows on hover, with what HTML cannot list. */
function tagMarkdown(api: ElementApi): string {
  const events = api.events.map((e) => ({ name: e.name, description: `\`${e.type}\`. ${e.description}` }));
  const cssProperties = api.cssProperties.map((p) => ({ name: p.name, description: [p.description, p.default && `Default \`${p.default}\`.`].filter(Boolean).join(' ') }));
  return [api.summary, api.description].filter(Boolean).join('\n\n') +
    list('Events', events) + list('Slots', api.slots) + list('CSS parts', api.cssParts) + list('CSS custom properties', cssProperties);
}

function attributeMarkdown(attribute: ApiAttribute): string {
  const parts = [attribute.description, `Property \`${attribute.fieldName}\` (\`${attribute.type}\`).`];
  if (attribute.default !== undefined) parts.push(`Default \`${attribute.default}\`.`);
  return parts.filter(Boolean).join(' ');
}

/** VS Code `html.customData` (version 1.1). Boolean attributes take no value (`valueSet: "v"`). */
export function vscodeHtmlCustomData(api: ElementApi) {
  return {
    $schema: 'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    tags: [
      {
        name: api.tagName,
        description: { kind: 'markdown', value: tagMarkdown(api) },
        attributes: api.attributes.map((a) => ({
          name: a.name,
          description: { kind: 'markdown', value: attributeMarkdown(a) },
          ...(a.type === 'boolean' ? { valueSet: 'v' } : {}),
        })),
      },
    ],
  };
}

/** VS Code `css.customData` (version 1.1): completion for the custom properties and `::part()`. */
export function vscodeCssCustomData(api: ElementApi) {
  const markdown = (value: string) => ({ kind: 'markdown', value });
  return {
    $schema: 'https://raw.githubusercontent.com/microsoft/vscode-css-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    properties: api.cssProperties.map((p) => ({
      name: p.name,
      description: markdown([`\`<${api.tagName}>\`: ${p.description}`, p.default && `Default \`${p.default}\`.`].filter(Boolean).join(' ')),
    })),
    pseudoElements: api.cssParts.map((p) => ({
      name: `::part(${p.name})`,
      description: markdown(`\`<${api.tagName}>\`: ${p.description}`),
    })),
  };
}

/** A web-types symbol: the name, the description when there is one, and `extra`. */
function described<T extends object = object>(item: Named, extra: T = {} as T): { name: string; description?: string } & T {
  return { name: item.name, ...(item.description ? { description: item.description } : {}), ...extra };
}

/** JetBrains web-types (schema 2): the element with its attributes, JS properties and events, slots, CSS. */
export function webTypes(api: ElementApi, pkg: { name: string; version: string }) {
  return {
    $schema: 'https://json.schemastore.org/web-types',
    name: pkg.name,
    version: pkg.version,
    'description-markup': 'markdown',
    'js-types-syntax': 'typescript',
    contributions: {
      html: {
        elements: [
          {
            name: api.tagName,
            description: [api.summary, api.description].filter(Boolean).join('\n\n'),
            source: { module: pkg.name, symbol: api.className },
            attributes: api.attributes.map((a) => ({
              name: a.name,
              description: attributeMarkdown(a),
              value: { type: a.type, required: false, ...(a.default !== undefined ? { default: a.default } : {}) },
            })),
            slots: api.slots.map((s) => described(s)),
            js: {
              properties: api.properties.map((p) => described(p, { type: p.type })),
              events: api.events.map((e) => described(e, { type: e.type })),
            },
            css: {
              parts: api.cssParts.map((p) => described(p)),
              properties: api.cssProperties.map((p) => described(p, p.default ? { default: p.default } : {})),
            },
          },
        ],
      },
    },
  };
}
