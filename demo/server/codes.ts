// The codes this server answers, with the symbolic names it puts in `message` (PROTOCOL.md's table,
// plus a few of our own for malformed requests; demo/server/README.md lists them all).

export const Codes = {
  OK: 0,
  PARAM_INVALID: -1,
  MULTIPART_INVALID: -2,
  SIGNATURE_EMPTY: -70,
  SIGNATURE_MISMATCH: -81,
  SESSION_NOT_FOUND: -94,
  SESSION_MISSING: -95,
  SIGNATURE_EXPIRED: -96,
  SIGNATURE_INVALID: -97,
  SLICE_OFFSET_INVALID: -4010,
  SLICE_LENGTH_INVALID: -4011,
  PATH_INVALID: -4012,
  BODY_TOO_LARGE: -4013,
  SHA_MISMATCH: -4016,
  FILE_EXISTS: -4018,
  UPLOAD_UNFINISHED: -4019,
  INTERNAL: -5997,
} as const;
export type Code = (typeof Codes)[keyof typeof Codes];

export const CodeNames: Record<Code, string> = {
  [Codes.OK]: 'SUCCESS',
  [Codes.PARAM_INVALID]: 'ERROR_CMD_PARAM_INVALID',
  [Codes.MULTIPART_INVALID]: 'ERROR_MULTIPART_INVALID',
  [Codes.SIGNATURE_EMPTY]: 'ERROR_PROXY_AUTH_EMPTY',
  [Codes.SIGNATURE_MISMATCH]: 'ERROR_PROXY_AUTH_APPID_BUCKET_MISMATCH',
  [Codes.SESSION_NOT_FOUND]: 'ERROR_SESSION_NOT_FOUND',
  [Codes.SESSION_MISSING]: 'ERROR_SESSION_MISSING',
  [Codes.SIGNATURE_EXPIRED]: 'ERROR_PROXY_AUTH_EXPIRED',
  [Codes.SIGNATURE_INVALID]: 'ERROR_PROXY_AUTH_INVALID',
  [Codes.SLICE_OFFSET_INVALID]: 'ERROR_SLICE_OFFSET_INVALID',
  [Codes.SLICE_LENGTH_INVALID]: 'ERROR_SLICE_LENGTH_INVALID',
  [Codes.PATH_INVALID]: 'ERROR_PATH_INVALID',
  [Codes.BODY_TOO_LARGE]: 'ERROR_BODY_TOO_LARGE',
  [Codes.SHA_MISMATCH]: 'ERROR_SHA_MISMATCH',
  [Codes.FILE_EXISTS]: 'ERROR_FILE_EXISTS',
  [Codes.UPLOAD_UNFINISHED]: 'ERROR_UPLOAD_UNFINISHED',
  [Codes.INTERNAL]: 'ERROR_INTERNAL',
};

/** What an upload request answers: HTTP 200 with `{code, message, data}` unless `status` says otherwise. */
export interface Reply {
  status?: number;
  code: Code;
  /** A human explanation appended to the symbolic name: `ERROR_X: why`. */
  detail?: string;
  data?: Record<string, unknown>;
}

export function replyBody(reply: Reply): string {
  const name = CodeNames[reply.code];
  return JSON.stringify({
    code: reply.code,
    message: reply.detail ? `${name}: ${reply.detail}` : name,
    data: reply.data ?? {},
  });
}

export function fail(code: Code, detail: string, status?: number, data?: Record<string, unknown>): Reply {
  return { code, detail, status, data };
}
