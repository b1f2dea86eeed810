// A custom-elements-manifest analyzer plugin: gives each event an element documents (`@fires`) the
// type that the global `HTMLElementEventMap` declares for it, e.g. `CustomEvent<VodUploadSuccessDetail>`,
// with a reference to the detail type's module. The JSDoc keeps the names and descriptions; the event
// map stays the one place for the types. It adds no event that the JSDoc does not list, so the
// manifest test still sees an undocumented event as missing.

/** @returns {import('@custom-elements-manifest/analyzer').Plugin} */
export function eventTypesPlugin() {
  /** Event name → {text, references} from every analyzed module's `HTMLElementEventMap`. */
  const eventTypes = new Map();
  /** Per module: type alias name → its type node, to expand `VodUploadAddEvent` into `CustomEvent<…>`. */
  const aliases = new Map();
  /** Per module: the event map members, resolved once all of the module's aliases are known. */
  const pending = [];

  return {
    name: 'vod-event-types',
    // The config module (and so this plugin) is loaded once per process; each analysis starts afresh.
    initialize() {
      eventTypes.clear();
      aliases.clear();
      pending.length = 0;
    },
    analyzePhase({ ts, node, moduleDoc }) {
      const path = moduleDoc.path;
      if (ts.isTypeAliasDeclaration(node)) {
        if (!aliases.has(path)) aliases.set(path, new Map());
        aliases.get(path).set(node.name.text, node.type);
      }
      if (ts.isInterfaceDeclaration(node) && node.name.text === 'HTMLElementEventMap') {
        for (const member of node.members) {
          if (!ts.isPropertySignature(member) || !member.type) continue;
          const name = ts.isStringLiteral(member.name) ? member.name.text : member.name.getText();
          pending.push({ ts, path, name, type: member.type });
        }
      }
    },
    moduleLinkPhase() {
      for (const { ts, path, name, type } of pending.splice(0)) {
        eventTypes.set(name, describeType(ts, expandAlias(ts, type, aliases.get(path)), path));
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          for (const event of decl.events ?? []) {
            const type = eventTypes.get(event.name);
            if (type && !event.type) event.type = type;
          }
        }
      }
    },
  };
}

/** `X` where `type X = CustomEvent<D>` in the same module becomes the `CustomEvent<D>` node. */
function expandAlias(ts, type, moduleAliases) {
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && moduleAliases?.has(type.typeName.text)) {
    return moduleAliases.get(type.typeName.text);
  }
  return type;
}

/** The manifest's Type: the text, and a reference for every type name the module declares itself. */
function describeType(ts, type, path) {
  const text = type.getText();
  const start = type.getStart();
  const declared = new Set();
  for (const statement of type.getSourceFile().statements) {
    if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name) declared.add(statement.name.text);
  }
  const references = [];
  const visit = (node) => {
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && declared.has(node.typeName.text)) {
      references.push({ name: node.typeName.text, module: path, start: node.typeName.getStart() - start, end: node.typeName.getEnd() - start });
    }
    ts.forEachChild(node, visit);
  };
  visit(type);
  return references.length > 0 ? { text, references } : { text };
}
