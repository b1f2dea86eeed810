// The element test page's script: registers <vod-uploader>, points it at the test's protocol server
// (query parameters: endpoint, signatureUrl, appid, bucket, folder, lang, and any attribute as attr-NAME),
// records every vod-upload-* event in window.vodEvents, and records form submissions.

import '../../../src/vod-uploader.js';
import { pageUploads, type PageUploads, type VodUploaderElement } from '../../../src/index.js';

interface RecordedEvent {
  type: string;
  id?: string;
  status?: string;
  uploadedBytes?: number;
  reason?: string;
  message?: string;
  instant?: boolean;
  resourcePath?: string;
  /** performance.now() at dispatch. */
  at: number;
}

declare global {
  interface Window {
    vodEvents: RecordedEvent[];
    vodSubmissions: string[][];
    vodPageUploads: PageUploads;
  }
}

const params = new URLSearchParams(location.search);
const uploader = document.querySelector('vod-uploader') as VodUploaderElement;
if (params.has('lang')) document.documentElement.lang = params.get('lang')!;
uploader.endpoint = params.get('endpoint') ?? uploader.endpoint;
uploader.signatureUrl = params.get('signatureUrl') ?? '';
uploader.appid = params.get('appid') ?? '';
uploader.bucket = params.get('bucket') ?? '';
uploader.folder = params.get('folder') ?? '';
for (const [key, value] of params) {
  if (key.startsWith('attr-')) uploader.setAttribute(key.slice(5), value);
}

window.vodEvents = [];
const names = ['add', 'reject', 'reject-batch', 'start', 'progress', 'pause', 'resume', 'retry', 'success', 'error', 'cancel', 'restorable', 'warning'];
for (const name of names) {
  document.addEventListener(`vod-upload-${name}`, (event) => {
    const detail = (event as CustomEvent).detail as Record<string, unknown>;
    const upload = detail.upload as { id: string; status: string; uploadedBytes: number } | undefined;
    const result = detail.result as { instant: boolean; resourcePath: string } | undefined;
    window.vodEvents.push({
      type: event.type,
      id: upload?.id,
      status: upload?.status,
      uploadedBytes: upload?.uploadedBytes,
      reason: detail.reason as string | undefined,
      message: detail.message as string | undefined,
      instant: result?.instant,
      resourcePath: result?.resourcePath,
      at: performance.now(),
    });
  });
}

window.vodSubmissions = [];
document.getElementById('form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(event.target as HTMLFormElement);
  window.vodSubmissions.push(data.getAll('videos').map(String));
  document.getElementById('submitted')!.textContent = `Submitted ${data.getAll('videos').length}`;
});

// For the lifecycle tests: the page-wide store of uploads.
window.vodPageUploads = pageUploads;
