// The demo page (index.html, npm start): wires <vod-uploader> to the local protocol server that
// Vite mounts (/files/v1, /api/signature, /api/config), with a settings form, an event log and the
// uploaded videos playable. No inline scripts or styles: the page works under a strict CSP.

import '../src/vod-uploader.js';
import { DEFAULT_CONCURRENCY } from '../src/engine/options.js';
import type { VodUploaderElement } from '../src/index.js';
import type { VodUploaderEventName } from '../src/element/events.js';

interface DemoConfig {
  appid: string;
  bucket: string;
  sliceSize?: number;
}

const uploader = document.getElementById('uploader') as VodUploaderElement;
const settings = document.getElementById('settings') as HTMLFormElement;
const log = document.getElementById('log') as HTMLOListElement;
const videos = document.getElementById('videos') as HTMLUListElement;

function field(name: string): HTMLInputElement {
  return settings.elements.namedItem(name) as HTMLInputElement;
}

function logLine(text: string, kind = ''): void {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  if (kind) li.className = kind;
  log.append(li);
  // Keep the log bounded: a long upload makes thousands of progress events.
  while (log.children.length > 300) log.firstElementChild?.remove();
  log.scrollTop = log.scrollHeight;
}

function applySettings(): void {
  uploader.endpoint = field('endpoint').value.trim();
  uploader.appid = field('appid').value.trim();
  uploader.bucket = field('bucket').value.trim();
  uploader.folder = field('folder').value.trim();
  uploader.concurrency = Number(field('concurrency').value) || DEFAULT_CONCURRENCY;
  uploader.manual = field('manual').checked;
  uploader.lang = (settings.elements.namedItem('lang') as HTMLSelectElement).value;
  logLine(`settings: ${uploader.endpoint} appid=${uploader.appid} bucket=${uploader.bucket} folder=${uploader.folder || '(root)'}`);
}

function showVideo(name: string, accessUrl: string, instant: boolean): void {
  document.getElementById('no-videos')?.remove();
  const li = document.createElement('li');
  const title = document.createElement('div');
  const link = document.createElement('a');
  link.href = accessUrl;
  link.textContent = name;
  link.target = '_blank';
  link.rel = 'noopener';
  title.append(link, instant ? ' (instant upload)' : '');
  const video = document.createElement('video');
  video.controls = true;
  video.preload = 'metadata';
  video.src = accessUrl;
  li.append(title, video);
  videos.prepend(li);
}

const logged: VodUploaderEventName[] = [
  'vod-upload-add',
  'vod-upload-reject',
  'vod-upload-start',
  'vod-upload-pause',
  'vod-upload-resume',
  'vod-upload-retry',
  'vod-upload-success',
  'vod-upload-error',
  'vod-upload-cancel',
  'vod-upload-restorable',
  'vod-upload-warning',
];
for (const type of logged) {
  uploader.addEventListener(type, (event) => {
    const detail = (event as Event as CustomEvent<Record<string, unknown>>).detail;
    const upload = detail.upload as { name: string; status: string } | undefined;
    const what = upload ? `${upload.name} (${upload.status})` : '';
    const extra = (detail.message ?? (detail.error as Error | undefined)?.message ?? '') as string;
    logLine(`${type} ${what} ${extra}`.trim(), type.endsWith('error') || type.endsWith('reject') ? 'error' : type.endsWith('success') ? 'success' : '');
  });
}
// Progress: one line per 10% per file, not every event.
const lastDecile = new Map<string, number>();
uploader.addEventListener('vod-upload-progress', ({ detail: { upload } }) => {
  const phase = upload.status === 'hashing' ? 'hashed' : 'sent';
  const done = upload.status === 'hashing' ? upload.hashedBytes : upload.uploadedBytes;
  const decile = upload.size > 0 ? Math.floor((done / upload.size) * 10) : 10;
  const key = `${upload.id}:${phase}`;
  if ((lastDecile.get(key) ?? -1) < decile) {
    lastDecile.set(key, decile);
    logLine(`vod-upload-progress ${upload.name}: ${decile * 10}% ${phase}`);
  }
});
uploader.addEventListener('vod-upload-success', ({ detail }) => showVideo(detail.upload.name, detail.result.accessUrl, detail.result.instant));

settings.addEventListener('submit', (event) => {
  event.preventDefault();
  applySettings();
});
document.getElementById('start-all')!.addEventListener('click', () => uploader.start());
document.getElementById('pause-all')!.addEventListener('click', () => uploader.pause());
document.getElementById('clear-log')!.addEventListener('click', () => log.replaceChildren());
document.getElementById('publish')!.addEventListener('submit', (event) => {
  event.preventDefault();
  const paths = new FormData(event.target as HTMLFormElement).getAll('videos');
  (document.getElementById('publish-result') as HTMLOutputElement).value = `Published ${paths.length}: ${paths.join(', ')}`;
});

async function loadConfig(): Promise<void> {
  field('endpoint').value = `${location.origin}/files/v1`;
  try {
    const response = await fetch('/api/config');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const config = (await response.json()) as DemoConfig;
    field('appid').value = config.appid;
    field('bucket').value = config.bucket;
    logLine(`server: appid=${config.appid} bucket=${config.bucket} slice size=${config.sliceSize ?? '?'} bytes`);
  } catch (error) {
    logLine(`could not read /api/config (${String(error)}): is the demo server mounted (npm start)?`, 'error');
  }
  applySettings();
}

void loadConfig();
