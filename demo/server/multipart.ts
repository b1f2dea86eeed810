// A small streaming multipart/form-data parser: fields are collected as short strings, the binary
// `filecontent` part is handed on chunk by chunk as it arrives (never buffered whole), so a slice can
// go straight to its positioned write. Buffer.indexOf finds the boundary.

export interface PartSink {
  field(name: string, value: string): void;
  /** Called once when the `filecontent` part starts, before its first chunk. */
  fileStart(): void;
  fileData(chunk: Buffer): Promise<void> | void;
  fileEnd(): Promise<void> | void;
}

export class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

const MAX_HEADER_BYTES = 16 * 1024;
const MAX_FIELD_BYTES = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const FILE_FIELD = 'filecontent';

/** The boundary of a multipart/form-data Content-Type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  return boundary && boundary.length <= 200 ? boundary : undefined;
}

function partName(headers: string): string {
  const disposition = headers.split('\r\n').find((line) => /^content-disposition:/i.test(line));
  if (!disposition) throw new MultipartError('a part has no Content-Disposition header');
  const match = /;\s*name="((?:[^"\\]|\\.)*)"/i.exec(disposition) ?? /;\s*name=([^;\s]+)/i.exec(disposition);
  if (!match?.[1]) throw new MultipartError('a part has no name');
  return match[1];
}

type State = 'preamble' | 'after-boundary' | 'headers' | 'body' | 'done';

export async function parseMultipart(body: AsyncIterable<Buffer>, boundary: string, sink: PartSink): Promise<void> {
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let buf: Buffer = Buffer.alloc(0);
  let state: State = 'preamble';
  let name = '';
  let isFile = false;
  let fieldChunks: Buffer[] = [];
  let fieldBytes = 0;

  const emit = async (data: Buffer): Promise<void> => {
    if (data.length === 0) return;
    if (isFile) {
      await sink.fileData(data);
    } else {
      fieldBytes += data.length;
      if (fieldBytes > MAX_FIELD_BYTES) throw new MultipartError(`the field "${name}" is too long`);
      fieldChunks.push(data);
    }
  };

  for await (const chunk of body) {
    if (state === 'body' && buf.length > 0 && buf.length < delimiter.length && chunk.length >= delimiter.length) {
      // The usual case inside a slice: a short tail kept from the last chunk. Rather than copy the new
      // chunk onto it, check whether a delimiter starts in the tail; if not, the tail is plain data.
      const probe = Buffer.concat([buf, chunk.subarray(0, delimiter.length - 1)]);
      if (probe.indexOf(delimiter) < 0) {
        await emit(buf);
        buf = chunk;
      } else {
        buf = Buffer.concat([buf, chunk]);
      }
    } else {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    }
    for (;;) {
      if (state === 'preamble') {
        const at = buf.indexOf(dashBoundary);
        if (at < 0) {
          buf = buf.subarray(Math.max(0, buf.length - dashBoundary.length + 1));
          break;
        }
        buf = buf.subarray(at + dashBoundary.length);
        state = 'after-boundary';
      } else if (state === 'after-boundary') {
        if (buf.length < 2) break;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = 'done';
        } else if (buf[0] === CRLF[0] && buf[1] === CRLF[1]) {
          buf = buf.subarray(2);
          state = 'headers';
        } else {
          throw new MultipartError('malformed boundary line');
        }
      } else if (state === 'headers') {
        const at = buf.indexOf(HEADER_END);
        if (at < 0) {
          if (buf.length > MAX_HEADER_BYTES) throw new MultipartError('part headers too long');
          break;
        }
        name = partName(buf.subarray(0, at).toString('utf8'));
        buf = buf.subarray(at + HEADER_END.length);
        isFile = name === FILE_FIELD;
        fieldChunks = [];
        fieldBytes = 0;
        if (isFile) sink.fileStart();
        state = 'body';
      } else if (state === 'body') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          // Keep a tail that could be the start of a delimiter split across chunks.
          const safe = buf.length - delimiter.length + 1;
          if (safe > 0) {
            await emit(buf.subarray(0, safe));
            buf = buf.subarray(safe);
          }
          break;
        }
        await emit(buf.subarray(0, at));
        buf = buf.subarray(at + delimiter.length);
        if (isFile) await sink.fileEnd();
        else sink.field(name, Buffer.concat(fieldChunks).toString('utf8'));
        state = 'after-boundary';
      } else {
        break; // 'done': the epilogue is ignored
      }
    }
  }
  if (state !== 'done') throw new MultipartError('the multipart body ended before its closing boundary');
}
