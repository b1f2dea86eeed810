// custom-elements.json lists the whole public API of <vod-uploader>. The expected lists come from the
// code itself: the reactive properties and attributes from the class (as Lit finalizes it), the
// events from the event map the dispatcher is typed by (src/element/events.ts), the parts, slots
// and custom properties from the templates and styles under src/element. Adding any of these
// without its JSDoc (`@fires`, `@csspart`, `@cssprop`, `@slot`, a property) fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LitElement } from 'lit';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClassDeclaration } from 'custom-elements-manifest/schema';
import { analyzeManifest } from '../../scripts/manifest/analyze.mjs';
import { elementApi, elementDeclaration, type ElementApi } from '../../scripts/manifest/element-api.js';
import { VALUE_EVENTS } from '../../src/element/form-state.js';
import { VodUploaderElement } from '../../src/index.js';

const root = resolve(import.meta.dirname, '../..');
const elementDir = join(root, 'src/element');
/** Every module of src/element, however the element is split among them, as one text. */
const allSource = readdirSync(elementDir, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => readFileSync(join(elementDir, f), 'utf8'))
  .join('\n');

let api: ElementApi;
/** <vod-uploader-drop>'s declaration. */
let drop: ReturnType<typeof elementDeclaration>;
/** The element's declaration as the manifest has it, private members included. */
let element: ClassDeclaration;
beforeAll(async () => {
  const manifest = await analyzeManifest(root);
  api = elementApi(manifest);
  element = elementDeclaration(manifest);
  drop = elementDeclaration(manifest, 'vod-uploader-drop');
}, 60_000);

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** Lit's reactive properties of the class (and its bases), as `{name → options}`, internal state left out. */
function reactiveProperties() {
  void VodUploaderElement.observedAttributes; // finalizes the class, which fills elementProperties
  return [...VodUploaderElement.elementProperties].filter(([, options]) => !options.state);
}

/** The event name → detail type text of the `VodUploaderEventDetails` interface (src/element/events.ts). */
function eventMap(): Map<string, string> {
  const body = /interface VodUploaderEventDetails \{([^}]*)\}/.exec(allSource)?.[1] ?? '';
  return new Map([...body.matchAll(/'([\w-]+)':\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

describe('custom-elements.json', () => {
  it('has the element under its tag', () => {
    expect(api.tagName).toBe('vod-uploader');
    expect(api.className).toBe(VodUploaderElement.name);
  });

  it('lists every reactive property of the class as a public property', () => {
    const reactive = reactiveProperties().map(([name]) => String(name));
    expect(reactive.length).toBeGreaterThan(0);
    const listed = api.properties.map((p) => p.name);
    expect(reactive.filter((name) => !listed.includes(name))).toEqual([]);
  });

  it("lists every observed attribute, mapped to its property with Lit's type", () => {
    expect(sorted(api.attributes.map((a) => a.name))).toEqual(sorted(VodUploaderElement.observedAttributes));
    const typeNames = new Map<unknown, string>([
      [String, 'string'],
      [Number, 'number'],
      [Boolean, 'boolean'],
    ]);
    for (const [name, options] of reactiveProperties()) {
      if (options.attribute === false) continue;
      const attribute = typeof options.attribute === 'string' ? options.attribute : String(name).toLowerCase();
      const listed = api.attributes.find((a) => a.name === attribute);
      expect(listed, attribute).toMatchObject({ fieldName: name, type: typeNames.get(options.type ?? String) });
    }
  });

  it('lists every accessor and method the class defines (getters such as `uploads`, the methods)', () => {
    const defined = new Set<string>();
    for (let proto = VodUploaderElement.prototype; proto !== LitElement.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) defined.add(name);
    }
    // Overrides of Lit's and the DOM's own members (render, connectedCallback, …) are not the element's API.
    const own = [...defined].filter((name) => !(name in LitElement.prototype));
    expect(own).toContain('addFiles');
    // The analyzer lists private members too, marked private; `api` keeps the public ones.
    const listed = new Set(element.members?.map((m) => m.name));
    expect(own.filter((name) => !listed.has(name))).toEqual([]);
  });

  it("lists every event of the event map with the map's detail type, the form control's plain events, and no other", () => {
    const map = eventMap();
    expect(map.size).toBeGreaterThan(0);
    expect(sorted(api.events.map((e) => e.name))).toEqual(sorted([...map.keys(), ...VALUE_EVENTS]));
    for (const event of api.events) {
      const expected = map.has(event.name) ? `CustomEvent<${map.get(event.name)}>` : 'Event';
      expect(event.type, event.name).toBe(expected);
    }
  });

  it('lists every CSS part the templates render, and no other', () => {
    // A part attribute may name several parts (`part="button folder-picker"`).
    const rendered = [...allSource.matchAll(/\bpart=["']([\w -]+)["']/g)].flatMap((m) => m[1]!.split(/\s+/).filter(Boolean));
    expect(rendered.length).toBeGreaterThan(0);
    expect(sorted(api.cssParts.map((p) => p.name))).toEqual(sorted(rendered));
  });

  it('lists every slot the templates render', () => {
    const slots = [...allSource.matchAll(/<slot\b([^>]*)>/g)].map((m) => /\bname=["']([\w-]+)["']/.exec(m[1])?.[1] ?? '');
    expect(sorted(api.slots.map((s) => s.name))).toEqual(sorted(slots));
  });

  it('lists every --vod-uploader-* custom property the styles read (not those the element sets itself), and no other', () => {
    const read = [...allSource.matchAll(/var\((--vod-uploader-[\w-]+)/g)].map((m) => m[1]);
    // A property the element writes from code (a quoted name, as in cssProperty('--x', …)) is its own plumbing.
    const written = new Set([...allSource.matchAll(/["'`](--vod-uploader-[\w-]+)["'`]/g)].map((m) => m[1]));
    const expected = read.filter((name) => !written.has(name));
    expect(expected.length).toBeGreaterThan(0);
    expect(sorted(api.cssProperties.map((p) => p.name))).toEqual(sorted(expected));
  });

  it('lists <vod-uploader-drop> with its `for` attribute, its default slot and its part', () => {
    expect(drop.attributes?.map((a) => [a.name, a.fieldName])).toEqual([['for', 'htmlFor']]);
    expect(drop.slots?.map((s) => s.name)).toEqual(['']);
    expect(drop.cssParts?.map((p) => p.name)).toEqual(['base']);
    expect(drop.description ?? drop.summary).toBeTruthy();
  });
});
