// The custom-elements-manifest analyzer's settings (`cem analyze`, scripts/build.mjs): every module of
// src/element, so the element may be split into several files, src/drop (<vod-uploader-drop>), and the
// protocol client and engine options, whose constants are attribute defaults; the Lit plugin for
// `static properties`.
import { eventTypesPlugin } from './scripts/manifest/event-types-plugin.mjs';

export default {
  globs: ['src/element/**/*.ts', 'src/drop/**/*.ts', 'src/protocol/client.ts', 'src/engine/options.ts'],
  exclude: ['src/element/**/*.test.ts', 'src/element/**/*.d.ts'],
  outdir: 'dist',
  litelement: true,
  // package.json names dist/custom-elements.json already; the analyzer would rewrite it.
  packagejson: false,
  quiet: true,
  plugins: [eventTypesPlugin()],
};
