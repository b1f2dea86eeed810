// Sends one request with a signature, renewing it once when the server refuses it. A second refusal
// right after a renewal means the backend signs wrongly (bad key, wrong bucket, skewed clock):
// asking again would loop, so it becomes a fatal error with a message that says where to look.

import { ErrorAction, UploadError } from './errors.js';
import { signatureRefusedTwice } from './error-mapping.js';
import type { SignatureScope, Signer } from './types.js';

function isSignatureRefusal(e: unknown): e is UploadError {
  return e instanceof UploadError && e.action === ErrorAction.RenewSignature;
}

export async function withSignature<T>(
  signer: Signer,
  scope: SignatureScope,
  signal: AbortSignal,
  send: (signature: string) => Promise<T>,
): Promise<T> {
  const signature = await signer.get(scope, signal);
  try {
    return await send(signature);
  } catch (e) {
    if (!isSignatureRefusal(e) || signal.aborted) throw e;
    // Concurrent slices refused with the same signature share one renewal (the signer's contract).
    const renewed = await signer.renew(scope, signature, signal);
    try {
      return await send(renewed);
    } catch (again) {
      if (isSignatureRefusal(again) && !signal.aborted) throw signatureRefusedTwice(again);
      throw again;
    }
  }
}
