// GET /api/signature?appid=&bucket=&path=: what an embedder's backend does, signing for the one
// appid/bucket this server serves. Counts requests and how many run at once (clients must share).

import type { ServerResponse } from 'node:http';
import { signUploadSignature } from '../../src/signer/index.js';
import { answerSignatureFault, type Faults } from './faults.js';
import { sendText, sleep } from './http-util.js';
import type { ServerStats } from './stats.js';

export interface SignatureEndpoint {
  appid: string;
  bucket: string;
  secretId: string;
  secretKey: string;
  ttlSeconds: number;
  stats: ServerStats;
  faults: () => Faults;
  inFlight: number;
}

export async function handleSignatureRequest(url: URL, res: ServerResponse, ep: SignatureEndpoint): Promise<void> {
  ep.stats.signatureRequests++;
  ep.inFlight++;
  ep.stats.maxConcurrentSignatureRequests = Math.max(ep.stats.maxConcurrentSignatureRequests, ep.inFlight);
  try {
    const faults = ep.faults();
    if (faults.signatureDelayMs) await sleep(faults.signatureDelayMs);
    if (answerSignatureFault(res, faults.signature)) return;
    const appid = url.searchParams.get('appid') ?? ep.appid;
    const bucket = url.searchParams.get('bucket') ?? ep.bucket;
    const path = url.searchParams.get('path') ?? '';
    if (appid !== ep.appid || bucket !== ep.bucket) {
      sendText(res, 403, `Forbidden: this backend signs for appid ${ep.appid} / bucket ${ep.bucket} only`);
      return;
    }
    if (path.split(/[/\\]/).some((segment) => segment === '..' || segment === '.') || /[\u0000-\u001f\u007f]/.test(path)) {
      sendText(res, 403, 'Forbidden: the path may not contain "." or ".." segments or control characters');
      return;
    }
    const signature = await signUploadSignature({
      appid,
      bucket,
      secretId: ep.secretId,
      secretKey: ep.secretKey,
      expiresInSeconds: ep.ttlSeconds,
    });
    sendText(res, 200, signature);
  } finally {
    ep.inFlight--;
  }
}
