// Runs the custom-elements-manifest analyzer with custom-elements-manifest.config.js and returns the
// manifest instead of writing it. Plain JS: the analyzer's CLI module has no type declarations.

/** @param {string} root the package folder @returns {Promise<import('custom-elements-manifest/schema').Package>} */
export async function analyzeManifest(root) {
  const { cli } = await import('@custom-elements-manifest/analyzer/cli.js');
  return cli({ argv: ['analyze'], cwd: root, noWrite: true });
}
