// Files as Firefox has them after they changed on disk: a File is no snapshot there. Its `size` stays
// the one seen when it was chosen, while reads give the bytes on disk now, without an error: a slice
// stops at the old size, the File itself reads to the new end. A deleted file's arrayBuffer() rejects
// with an AbortError nobody asked for, its stream with "TypeError: Error in input stream".

const CHUNK = 64 * 1024;

export function changedFile(size: number, onDisk: Uint8Array | 'deleted'): Blob {
  // A plain copy: a Node Buffer's slice() shares its pool, which enqueue() would detach.
  const disk = onDisk === 'deleted' ? new Uint8Array(0) : new Uint8Array(onDisk);
  const bytes = (start: number, end: number): Uint8Array<ArrayBuffer> =>
    disk.slice(Math.min(start, disk.length), Math.min(end, disk.length));
  const view = (start: number, end: number, whole: boolean): Blob =>
    ({
      size: end - start,
      slice: (a = 0, b = end - start) => view(start + a, Math.min(start + b, end), false),
      arrayBuffer: () =>
        onDisk === 'deleted'
          ? Promise.reject(new DOMException('The operation was aborted.', 'AbortError'))
          : Promise.resolve(bytes(start, whole ? Infinity : end).buffer),
      stream: () => {
        let at = start;
        const last = whole ? Infinity : end;
        return new ReadableStream({
          type: 'bytes',
          pull(controller) {
            if (onDisk === 'deleted') return controller.error(new TypeError('Error in input stream'));
            const chunk = bytes(at, Math.min(at + CHUNK, last));
            if (chunk.byteLength === 0) {
              controller.close();
              controller.byobRequest?.respond(0);
              return;
            }
            at += chunk.byteLength;
            controller.enqueue(chunk);
          },
        });
      },
    }) as unknown as Blob;
  return view(0, size, true);
}
