// The streaming multipart parser on its own: whatever way the body is cut into chunks, fields and the
// file bytes come out the same, including bytes that look like a boundary.
import { describe, expect, it } from 'vitest';
import { MultipartError, multipartBoundary, parseMultipart } from '../../demo/server/multipart.js';
import { randomFile } from './helpers.js';

const BOUNDARY = '----formdata-undici-0123456789';

function form(fields: Array<[string, string | Buffer]>, boundary = BOUNDARY): Buffer {
  const parts: Buffer[] = [Buffer.from('preamble to ignore\r\n')];
  for (const [name, value] of fields) {
    const file = Buffer.isBuffer(value);
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename="blob"\r\nContent-Type: application/octet-stream' : ''}\r\n\r\n`,
      ),
      Buffer.isBuffer(value) ? value : Buffer.from(value),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\nepilogue`));
  return Buffer.concat(parts);
}

async function* chunks(data: Buffer, sizes: () => number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; ) {
    const n = Math.max(1, sizes());
    yield data.subarray(i, i + n);
    i += n;
  }
}

async function parse(data: Buffer, sizes: () => number): Promise<{ fields: Record<string, string>; file?: Buffer }> {
  const fields: Record<string, string> = {};
  let file: Buffer[] | undefined;
  await parseMultipart(chunks(data, sizes), BOUNDARY, {
    field: (name, value) => void (fields[name] = value),
    fileStart: () => void (file = []),
    fileData: (chunk) => void file?.push(Buffer.from(chunk)),
    fileEnd: () => undefined,
  });
  return { fields, file: file && Buffer.concat(file) };
}

describe('parseMultipart', () => {
  // File bytes that contain CRLF, dashes and most of a delimiter, to tempt a naive parser.
  const tricky = Buffer.concat([randomFile(5000), Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}X\r\n--`), randomFile(3000)]);
  const body = form([
    ['op', 'upload_slice'],
    ['session', 'abc'],
    ['offset', '786432'],
    ['filecontent', tricky],
  ]);

  it.each([
    ['one chunk', () => body.length],
    ['byte by byte', () => 1],
    ['7-byte chunks', () => 7],
    ['random chunks', () => 1 + Math.floor(Math.random() * 200)],
    ['64 KiB chunks', () => 65536],
  ])('gives the same fields and bytes when read in %s', async (_label, sizes) => {
    const { fields, file } = await parse(body, sizes);
    expect(fields).toEqual({ op: 'upload_slice', session: 'abc', offset: '786432' });
    expect(file?.equals(tricky)).toBe(true);
  });

  it('reads UTF-8 fields and an empty file part', async () => {
    const { fields, file } = await parse(form([['video_title', '标题 ✓'], ['filecontent', Buffer.alloc(0)]]), () => 3);
    expect(fields.video_title).toBe('标题 ✓');
    expect(file?.length).toBe(0);
  });

  it('refuses a truncated body and a part without a name', async () => {
    await expect(parse(body.subarray(0, body.length - 30), () => 100)).rejects.toThrow(MultipartError);
    const noName = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${BOUNDARY}--\r\n`);
    await expect(parse(noName, () => 10)).rejects.toThrow(/no name/);
  });

  it('reads the boundary from the Content-Type, quoted or not', () => {
    expect(multipartBoundary(`multipart/form-data; boundary=${BOUNDARY}`)).toBe(BOUNDARY);
    expect(multipartBoundary('multipart/form-data; boundary="a b"; charset=utf-8')).toBe('a b');
    expect(multipartBoundary('application/json')).toBeUndefined();
    expect(multipartBoundary('multipart/form-data')).toBeUndefined();
  });
});
