import type { Package } from 'custom-elements-manifest/schema';

/** Runs the analyzer in `root` (custom-elements-manifest.config.js) and returns the manifest, writing nothing. */
export function analyzeManifest(root: string): Promise<Package>;
