// The self-contained build (dist/vod-uploader.bundle.js + its worker) and the plain page of
// test/e2e/pages/bundle, served from a sub-folder of a static server with a CSP response header.
// Free of Playwright: bundle-static.spec.ts and the user journeys (every engine) share it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');
const dist = join(root, 'dist');
const pageDir = join(root, 'test/e2e/pages/bundle');
/** Where the page and the bundle are served: a sub-folder, so a worker URL from the site root would 404. */
export const BUNDLE_PREFIX = '/some/sub/folder/';
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json', '.json': 'application/json' };

function newestMtime(dir: string): number {
  return Math.max(...readdirSync(dir, { recursive: true }).map((f) => statSync(join(dir, String(f))).mtimeMs));
}

/** Builds once when dist is missing or older than the sources (a full build takes a few seconds). */
export function ensureBuilt(): void {
  const bundle = join(dist, 'vod-uploader.bundle.js');
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestMtime(join(root, 'src'))) return;
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
}

/**
 * The README's strict policy, with `connectTo` (the upload server's origin) allowed to be fetched;
 * `worker` and `script` replace those two sources, to refuse the worker or WebAssembly.
 */
export function strictCsp(
  connectTo: string,
  { worker = "'self'", script = "'self' 'wasm-unsafe-eval'" }: { worker?: string; script?: string } = {},
): string {
  return [
    "default-src 'self'",
    `script-src ${script}`,
    `worker-src ${worker}`,
    `connect-src 'self' ${connectTo}`,
    "style-src 'self'",
  ].join('; ');
}

export interface BundleServer {
  origin: string;
  /** Every path requested, in order. */
  requested: string[];
  /** The policy sent with every answer from now on. */
  csp: string;
  close(): Promise<void>;
}

/** Builds if needed, then serves the bundle page under BUNDLE_PREFIX with `csp` on every answer. */
export async function startBundleServer(csp: string): Promise<BundleServer> {
  ensureBuilt();
  const requested: string[] = [];
  const state = { csp };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requested.push(url.pathname);
    if (!url.pathname.startsWith(BUNDLE_PREFIX)) {
      res.writeHead(404).end();
      return;
    }
    const rel = normalize(decodeURIComponent(url.pathname.slice(BUNDLE_PREFIX.length)) || 'index.html');
    const file = [join(pageDir, rel), join(dist, rel)].find((p) => p.startsWith(root) && existsSync(p) && statSync(p).isFile());
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'content-security-policy': state.csp });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requested,
    get csp() {
      return state.csp;
    },
    set csp(value: string) {
      state.csp = value;
    },
    close: () => new Promise((done) => server.close(() => done())),
  };
}
