// The signature's wire format, shared by the browser (to read the expiry) and the server-side
// signer/verifier: Base64( HMAC-SHA1(SecretKey, plain) [20 bytes] || plain ).

/** The fields of the signed plain text `a=..&k=..&e=..&t=..&r=..&f=..&b=..`. */
export interface SignatureFields {
  /** appid */
  a: string;
  /** SecretId */
  k: string;
  /** expiry, Unix seconds */
  e: number;
  /** signing time, Unix seconds */
  t: number;
  /** random */
  r: string;
  /** empty for multi-use signatures */
  f: string;
  /** bucket */
  b: string;
}

export interface DecodedSignature {
  hmac: Uint8Array;
  plain: string;
  fields: SignatureFields;
}

export function buildPlainText(f: SignatureFields): string {
  return `a=${f.a}&k=${f.k}&e=${f.e}&t=${f.t}&r=${f.r}&f=${f.f}&b=${f.b}`;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function base64ToBytes(b64: string): Uint8Array {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Decodes a signature; returns undefined when it is not of the documented shape (not Base64, too
 * short, or missing a numeric `e`/`t`), so callers can report "garbage" precisely.
 */
export function decodeSignature(signature: string): DecodedSignature | undefined {
  const text = signature.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(text);
  } catch {
    return undefined;
  }
  if (bytes.length <= 20) return undefined;
  const plain = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(20));
  const params = new Map<string, string>();
  for (const pair of plain.split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0) params.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const e = Number(params.get('e'));
  const t = Number(params.get('t'));
  if (!params.has('a') || !Number.isFinite(e) || !Number.isFinite(t) || !params.has('e') || !params.has('t')) {
    return undefined;
  }
  return {
    hmac: bytes.slice(0, 20),
    plain,
    fields: {
      a: params.get('a') ?? '',
      k: params.get('k') ?? '',
      e,
      t,
      r: params.get('r') ?? '',
      f: params.get('f') ?? '',
      b: params.get('b') ?? '',
    },
  };
}
