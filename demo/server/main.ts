// `npm run server`: the protocol server on its own port, configured by environment variables
// (see README.md beside this file).

import { optionsFromEnv } from './env-options.js';
import { startProtocolServer } from './protocol-server.js';

const options = optionsFromEnv();
const server = await startProtocolServer({
  ...options,
  port: Number(process.env.PORT ?? 8787),
  host: process.env.HOST ?? '127.0.0.1',
  https: process.env.VOD_HTTPS === '1',
});
const { appid, bucket, sliceSize } = server.handler.config;
console.log(`vod protocol server on ${server.url}`);
console.log(`  endpoint   ${server.endpoint}   (appid ${appid}, bucket ${bucket}, slice ${sliceSize} bytes)`);
console.log(`  signature  ${server.signatureUrl}`);
console.log(`  data       ${options.dataDir}${options.discard ? '   (discard mode: bytes are not stored)' : ''}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
