// What every example app hands to <vod-uploader>, in one place: the target (the demo server's
// appid and bucket), the signature provider (it asks the backend's signer, as README "Signing on
// your backend" describes) and per-file metadata, both counting their calls so that the page can
// show the element really uses them. Written without framework and without imports: each app
// passes these to the element its own framework's way, and its type checker checks them there.

/** The demo server's appid and bucket (VOD_APPID, VOD_BUCKET there). */
export const APPID = '1000001';
export const BUCKET = 'videos';
/** The backend's upload endpoint, proxied under the app's own origin by its dev server. */
export const ENDPOINT = '/files/v1';

export interface Calls {
  signature: number;
  metadata: number;
}

export interface Uploaded {
  resourcePath: string;
  accessUrl: string;
}

export function makeSigning(app: string, onCall: (kind: keyof Calls) => void) {
  return {
    signatureProvider: async (ctx: { appid: string; bucket: string; path: string; signal?: AbortSignal }): Promise<string> => {
      onCall('signature');
      const query = new URLSearchParams({ appid: ctx.appid, bucket: ctx.bucket, path: ctx.path });
      const response = await fetch(`/api/signature?${query}`, { signal: ctx.signal });
      if (!response.ok) throw new Error(`signer answered ${response.status}`);
      return response.text();
    },
    metadata: (file: File) => {
      onCall('metadata');
      return { video_title: file.name, video_desc: `uploaded from the ${app} example` };
    },
  };
}

export type Signing = ReturnType<typeof makeSigning>;

/** The page-wide indicator's text, from `pageUploads.getSnapshot().running`. */
export function runningLabel(running: number): string {
  return running > 0 ? `${running} upload${running > 1 ? 's' : ''} running` : 'idle';
}
