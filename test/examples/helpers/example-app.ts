// Starts one example app's dev server (examples/<name>, `npm run dev`) on a free port, in front of
// the test's protocol server (VOD_SERVER: the app proxies /files and /api to it), and keeps what
// it prints, so a test can check the server side logged no error. A worker-scoped fixture: one
// server per spec file, stopped (its whole process group) when the worker ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { freePort } from '../../../scripts/free-port.js';
import { test as base, expect, type TestServer } from '../../e2e/helpers/server.js';

export const EXAMPLES_DIR = resolve(import.meta.dirname, '../../../examples');

export interface ExampleApp {
  name: string;
  url: string;
  /** Everything the dev server printed so far (stdout and stderr). */
  log(): string;
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the dev server exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the dev server did not answer ${url} within ${timeoutMs} ms:\n${output()}`);
}

/** The routes an app's dev server compiles on demand (Next.js), requested once before the tests. */
const WARM_UP: Record<string, string[]> = { next: ['/upload', '/about'] };

export async function startExampleApp(name: string, backend: TestServer): Promise<ExampleApp & { stop(): Promise<void> }> {
  const port = await freePort();
  let output = '';
  // `npm run dev -- …`: each app's package.json says how its dev server starts; host and port here.
  const child = spawn('npm', ['run', 'dev', '--', '--port', String(port), ...(name === 'next' ? ['--hostname', '127.0.0.1'] : ['--host', '127.0.0.1', '--strictPort'])], {
    cwd: join(EXAMPLES_DIR, name),
    env: { ...process.env, VOD_SERVER: backend.url, NEXT_TELEMETRY_DISABLED: '1', BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  };
  try {
    await waitForHttp(`${url}/`, child, () => output, 90_000);
    // Next's dev server compiles a route on its first request: seconds on this machine, during which a
    // client-side route change waits and the upload it should interrupt may finish. Compile them first.
    for (const path of WARM_UP[name] ?? []) await fetch(`${url}${path}`, { signal: AbortSignal.timeout(90_000) });
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, url, log: () => output, stop };
}

/** `test.use({ example: 'react' })` in a spec picks the app; `app` is its running dev server. */
export const test = base.extend<{ app: ExampleApp }, { example: string; workerApp: ExampleApp }>({
  example: ['', { scope: 'worker', option: true }],
  workerApp: [
    async ({ example, workerServer }, use) => {
      const app = await startExampleApp(example, workerServer);
      await use(app);
      await app.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  app: async ({ workerApp }, use) => use(workerApp),
});

export { expect };
