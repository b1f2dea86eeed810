// Picks the one custom element of this package out of custom-elements.json, as the plain lists that
// every generator (framework-types.ts, editor-data.ts) and the manifest test work from.

import type { ClassDeclaration, ClassField, ClassMember, CustomElement, Package } from 'custom-elements-manifest/schema';

export interface Named {
  name: string;
  description: string;
}
export interface ApiAttribute extends Named {
  fieldName: string;
  /** `string`, `number` or `boolean` (Lit's `type`). */
  type: string;
  default?: string;
}
export interface ApiProperty extends Named {
  type: string;
  readonly: boolean;
  attribute?: string;
  default?: string;
}
export interface ApiEvent extends Named {
  /** The event's type, e.g. `CustomEvent<VodUploadSuccessDetail>`. */
  type: string;
  /** The names in `type` that the package exports (the detail types). */
  typeNames: string[];
}
export interface ApiCssProperty extends Named {
  default?: string;
}
export interface ElementApi {
  tagName: string;
  className: string;
  summary: string;
  description: string;
  attributes: ApiAttribute[];
  /** Public instance fields and accessors, the read-only ones too. */
  properties: ApiProperty[];
  methods: Named[];
  events: ApiEvent[];
  slots: Named[];
  cssParts: Named[];
  cssProperties: ApiCssProperty[];
}

type ElementDeclaration = ClassDeclaration & CustomElement;
/** What the analyzer writes on a field beyond schema 1.0's `ClassField`. */
type AnalyzedField = ClassField & { readonly?: boolean; attribute?: string };

const isPublic = (member: ClassMember) => (member.privacy ?? 'public') === 'public' && !member.static && !member.name.startsWith('#');
const text = (value: string | undefined) => (value ?? '').trim();
const named = (item: { name: string; description?: string }): Named => ({ name: item.name, description: text(item.description) });

/**
 * The declaration of <vod-uploader>; throws unless the manifest has exactly one. The manifest lists
 * <vod-uploader-drop> too; the editor data and framework types describe <vod-uploader> only.
 */
export function elementDeclaration(manifest: Package, tagName = 'vod-uploader'): ElementDeclaration {
  const elements = manifest.modules.flatMap((mod) =>
    (mod.declarations ?? []).filter((d): d is ElementDeclaration => 'customElement' in d && d.customElement === true && d.tagName === tagName),
  );
  if (elements.length !== 1) throw new Error(`custom-elements.json: expected one <${tagName}>, found ${elements.length}`);
  return elements[0]!;
}

function fieldProperty(field: AnalyzedField): ApiProperty {
  return { ...named(field), type: field.type?.text ?? 'unknown', readonly: Boolean(field.readonly), attribute: field.attribute, default: field.default };
}

/** The element's public API as the manifest states it. Throws for an event without a type. */
export function elementApi(manifest: Package): ElementApi {
  const el = elementDeclaration(manifest);
  const members = el.members ?? [];
  // A default that names a module constant (`DEFAULT_ENDPOINT`, imported from the protocol client) is
  // shown as the constant's value: editors should say the URL, not the name.
  const constants = new Map(
    manifest.modules.flatMap((mod) => (mod.declarations ?? []).flatMap((d) => (d.kind === 'variable' && d.default !== undefined ? [[d.name, d.default] as const] : []))),
  );
  const resolved = (value: string | undefined) => (value !== undefined ? (constants.get(value) ?? value) : undefined);
  const fieldDefaults = new Map(members.flatMap((m) => (m.kind === 'field' && m.default !== undefined ? [[m.name, resolved(m.default)] as const] : [])));
  return {
    tagName: el.tagName ?? '',
    className: el.name,
    summary: text(el.summary),
    description: text(el.description),
    attributes: (el.attributes ?? []).map((a) => ({
      ...named(a),
      fieldName: a.fieldName ?? a.name,
      type: a.type?.text ?? 'string',
      // The field's default is the resolved one (the URL, where the attribute has `DEFAULT_ENDPOINT`).
      default: fieldDefaults.get(a.fieldName ?? a.name) ?? resolved(a.default),
    })),
    properties: members.flatMap((m) =>
      m.kind === 'field' && isPublic(m) ? [fieldProperty(m)] : [],
    ),
    methods: members.filter((m) => m.kind === 'method' && isPublic(m)).map(named),
    events: (el.events ?? []).map((event) => {
      // The framework types would lose the detail: the event must be in HTMLElementEventMap (events.ts).
      if (!event.type?.text) throw new Error(`custom-elements.json: event ${event.name} has no type (is it in HTMLElementEventMap?)`);
      return { ...named(event), type: event.type.text, typeNames: (event.type.references ?? []).map((r) => r.name) };
    }),
    slots: (el.slots ?? []).map(named),
    cssParts: (el.cssParts ?? []).map(named),
    cssProperties: (el.cssProperties ?? []).map((p) => ({ ...named(p), default: p.default })),
  };
}
