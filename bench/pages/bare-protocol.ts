// The upload_slice protocol with nothing around it, for the bench's baselines: a signature from the
// signature URL, the first request, then the slices with fetch + FormData (the product client's form
// fields), `lanes` at a time. No hashing, storage, retries or UI: the ceiling of any client of this
// protocol in this browser. Used by the upload baselines (upload-page.ts) and the many-files bare
// client (many-bare-page.ts).

export interface ProtocolTarget {
  endpoint: string;
  signatureUrl: string;
  appid: string;
  bucket: string;
  dir: string;
}

interface Answer {
  code: number;
  message: string;
  data: { session?: string; offset?: number; slice_size?: number; access_url?: string };
}

async function post(url: string, form: FormData, signature: string): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', body: form, headers: { Authorization: signature } });
  const answer = (await response.json()) as Answer;
  if (answer.code !== 0) throw new Error(`server said ${answer.code} ${answer.message}`);
  return answer;
}

/**
 * Uploads `file` (whose SHA-1 is `sha`); `onSlice` sees each slice before it is sent (the memory
 * section's leaky control keeps them). Resolves to the requests made and the last answer's data.
 */
export async function sendWithProtocol(
  file: File,
  target: ProtocolTarget,
  sha: string,
  lanes: number,
  onSlice?: (slice: Blob) => Promise<void>,
): Promise<{ requests: number; last: unknown }> {
  const path = [target.dir, file.name].filter(Boolean).join('/');
  const fileUrl = `${target.endpoint}/${target.appid}/${target.bucket}/${path.split('/').map(encodeURIComponent).join('/')}`;
  const query = new URLSearchParams({ appid: target.appid, bucket: target.bucket, path });
  const signature = (await (await fetch(`${target.signatureUrl}?${query}`)).text()).trim();
  const create = new FormData();
  create.append('op', 'upload_slice');
  create.append('filesize', String(file.size));
  create.append('sha', sha);
  let answer = await post(fileUrl, create, signature);
  let last: unknown = answer.data;
  let requests = 1;
  const { session, slice_size: sliceSize } = answer.data;
  if (answer.data.access_url === undefined) {
    if (!session || !sliceSize) throw new Error('the create answer has no session or slice_size');
    await inLanes(answer.data.offset ?? 0, file.size, sliceSize, lanes, async (offset) => {
      const slice = file.slice(offset, offset + sliceSize);
      await onSlice?.(slice);
      // The product client's fields in its order: session and offset before the bytes, so that the
      // server writes the slice as it arrives (demo/server/upload-request.ts); bytes first, it has to
      // collect the whole slice in memory before it knows where it goes, a different server path.
      const form = new FormData();
      form.append('op', 'upload_slice');
      form.append('session', session);
      form.append('offset', String(offset));
      form.append('filecontent', slice, file.name);
      answer = await post(fileUrl, form, signature);
      requests++;
      if (answer.data.access_url !== undefined) last = answer.data;
    });
  }
  return { requests, last };
}

/** Calls `send` for every slice offset from `start` to `end`, `lanes` at a time, in order of offset. */
export async function inLanes(start: number, end: number, sliceSize: number, lanes: number, send: (offset: number) => Promise<void>): Promise<void> {
  let next = start;
  const lane = async (): Promise<void> => {
    while (next < end) {
      const offset = next;
      next += sliceSize;
      await send(offset);
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}
