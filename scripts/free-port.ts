// A TCP port on 127.0.0.1 that nobody listens on now (the OS picks it), for a child process that
// needs a port number before it starts (WebKitWebDriver, an example app's dev server). One helper
// for the tests, the WebKit run and the benchmark.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
