// The element's words in English and Simplified Chinese, and the small formatters (sizes, times)
// that go with them. Strings are templates with {placeholders} so `i18n` overrides stay plain data.

export interface VodUploaderStrings {
  dropzoneTitle: string;
  dropzoneHint: string;
  dropzoneLimit: string;
  dragAccept: string;
  dragReject: string;
  disabled: string;
  queued: string;
  hashing: string;
  uploading: string;
  paused: string;
  retrying: string;
  done: string;
  error: string;
  cancelled: string;
  elsewhere: string;
  hashingLabel: string;
  uploadingLabel: string;
  progressText: string;
  speedEta: string;
  speedOnly: string;
  pause: string;
  resume: string;
  cancel: string;
  retry: string;
  remove: string;
  /** Visible button texts; the accessible names above add the file name. */
  pauseText: string;
  resumeText: string;
  cancelText: string;
  retryText: string;
  removeText: string;
  dismiss: string;
  openLink: string;
  instant: string;
  errorCode: string;
  errorNetwork: string;
  errorTimeout: string;
  errorSignature: string;
  errorFile: string;
  errorLocked: string;
  errorServer: string;
  errorTemporary: string;
  errorExists: string;
  errorOther: string;
  rejectTooLarge: string;
  rejectWrongType: string;
  rejectTooMany: string;
  rejectDuplicate: string;
  rejectEmpty: string;
  rejectInvalidName: string;
  announceStart: string;
  announceProgress: string;
  announcePause: string;
  announceError: string;
  announceDone: string;
  restorableTitle: string;
  restorableResume: string;
  restorableChoose: string;
  restorableProgress: string;
  restorableWrongFile: string;
  formRunning: string;
  formMissing: string;
  warning: string;
  fileList: string;
  duration: string;
}

const en: VodUploaderStrings = {
  dropzoneTitle: 'Drop videos here or choose files',
  dropzoneHint: 'Press Enter or Space to choose; you can also paste files.',
  dropzoneLimit: 'Up to {size} per file.',
  dragAccept: 'Release to add',
  dragReject: 'Not a video',
  disabled: 'Uploading is disabled.',
  queued: 'Waiting',
  hashing: 'Checking the file',
  uploading: 'Uploading',
  paused: 'Paused',
  retrying: 'Retrying in {seconds} s',
  done: 'Done',
  error: 'Failed',
  cancelled: 'Cancelled',
  elsewhere: 'Uploading in another tab; this one takes over when it stops',
  hashingLabel: 'Checking {name}',
  uploadingLabel: 'Uploading {name}',
  progressText: '{percent}% ({done} of {total})',
  speedEta: '{speed}/s, {eta} left',
  speedOnly: '{speed}/s',
  pause: 'Pause {name}',
  resume: 'Resume {name}',
  cancel: 'Cancel {name}',
  retry: 'Retry {name}',
  remove: 'Remove {name} from the list',
  pauseText: 'Pause',
  resumeText: 'Resume',
  cancelText: 'Cancel',
  retryText: 'Retry',
  removeText: 'Remove',
  dismiss: 'Dismiss',
  openLink: 'Open the uploaded video',
  instant: 'Instant upload: the server already had this file',
  errorCode: 'code {code}',
  errorNetwork: 'The connection to the upload server failed.',
  errorTimeout: 'The upload server did not answer in time.',
  errorSignature: 'Could not get permission to upload (signature).',
  errorFile: 'The file could not be read; it may have been moved or changed.',
  errorLocked: 'This file is being uploaded in another tab.',
  errorServer: 'The upload server refused the file: {message}',
  errorTemporary: 'The upload server is having trouble. Try again in a moment.',
  errorExists: 'A file with this name already exists on the server.',
  errorOther: 'The upload failed: {message}',
  rejectTooLarge: '“{name}” is {size}; the limit is {max}.',
  rejectWrongType: '“{name}” is not an accepted type ({accept}).',
  rejectTooMany: '“{name}” was not added: at most {max} files.',
  rejectDuplicate: '“{name}” is already in the list.',
  rejectEmpty: '“{name}” is empty (0 bytes): nothing to upload.',
  rejectInvalidName: '“{name}” has a name the server cannot store.',
  announceStart: '{name}: upload started',
  announceProgress: '{name}: {percent}% uploaded',
  announcePause: '{name}: paused',
  announceError: '{name}: failed. {message}',
  announceDone: '{name}: upload complete',
  restorableTitle: 'Unfinished uploads',
  restorableResume: 'Resume {name}',
  restorableChoose: 'Choose “{name}” ({size}) again to go on.',
  restorableProgress: '{done} of {total} sent',
  restorableWrongFile: 'That is not the same file (“{name}”, {size}).',
  formRunning: 'An upload is still running.',
  formMissing: 'Please upload a video.',
  warning: 'Note: {message}',
  fileList: 'Uploads',
  duration: 'Duration {duration}',
};

const zhCN: VodUploaderStrings = {
  dropzoneTitle: '将视频拖到此处，或点击选择文件',
  dropzoneHint: '按 Enter 或空格键选择文件，也可以粘贴文件。',
  dropzoneLimit: '单个文件不超过 {size}。',
  dragAccept: '松开即可添加',
  dragReject: '不是视频文件',
  disabled: '上传已禁用。',
  queued: '等待中',
  hashing: '正在校验文件',
  uploading: '正在上传',
  paused: '已暂停',
  retrying: '{seconds} 秒后重试',
  done: '上传完成',
  error: '上传失败',
  cancelled: '已取消',
  elsewhere: '正在另一个标签页中上传；那边停止后由本页接手',
  hashingLabel: '正在校验 {name}',
  uploadingLabel: '正在上传 {name}',
  progressText: '{percent}%（{done} / {total}）',
  speedEta: '{speed}/秒，剩余 {eta}',
  speedOnly: '{speed}/秒',
  pause: '暂停 {name}',
  resume: '继续 {name}',
  cancel: '取消 {name}',
  retry: '重试 {name}',
  remove: '从列表中移除 {name}',
  pauseText: '暂停',
  resumeText: '继续',
  cancelText: '取消',
  retryText: '重试',
  removeText: '移除',
  dismiss: '关闭',
  openLink: '打开已上传的视频',
  instant: '秒传：服务器上已有此文件',
  errorCode: '错误码 {code}',
  errorNetwork: '无法连接上传服务器。',
  errorTimeout: '上传服务器响应超时。',
  errorSignature: '无法获取上传签名。',
  errorFile: '无法读取文件，文件可能已被移动或修改。',
  errorLocked: '此文件正在另一个标签页中上传。',
  errorServer: '上传服务器拒绝了该文件：{message}',
  errorTemporary: '上传服务器暂时出现问题，请稍后重试。',
  errorExists: '服务器上已存在同名文件。',
  errorOther: '上传失败：{message}',
  rejectTooLarge: '“{name}”大小为 {size}，超过上限 {max}。',
  rejectWrongType: '“{name}”不是允许的文件类型（{accept}）。',
  rejectTooMany: '未添加“{name}”：最多 {max} 个文件。',
  rejectDuplicate: '“{name}”已在列表中。',
  rejectEmpty: '“{name}”是空文件（0 字节），无需上传。',
  rejectInvalidName: '“{name}”的文件名无法在服务器上保存。',
  announceStart: '{name}：开始上传',
  announceProgress: '{name}：已上传 {percent}%',
  announcePause: '{name}：已暂停',
  announceError: '{name}：上传失败。{message}',
  announceDone: '{name}：上传完成',
  restorableTitle: '未完成的上传',
  restorableResume: '继续上传 {name}',
  restorableChoose: '请重新选择“{name}”（{size}）以继续。',
  restorableProgress: '已发送 {done} / {total}',
  restorableWrongFile: '这不是同一个文件（“{name}”，{size}）。',
  formRunning: '仍有文件正在上传。',
  formMissing: '请上传一个视频。',
  warning: '提示：{message}',
  fileList: '上传列表',
  duration: '时长 {duration}',
};

export type VodUploaderLocale = 'en' | 'zh-CN';

const tables: Record<VodUploaderLocale, VodUploaderStrings> = { en, 'zh-CN': zhCN };

/** Picks the built-in table for a BCP 47 tag: any `zh` goes to Simplified Chinese, the rest to English. */
export function resolveLocale(lang: string | null | undefined): VodUploaderLocale {
  return lang && /^zh\b/i.test(lang.trim()) ? 'zh-CN' : 'en';
}

export function stringsFor(lang: string | null | undefined, overrides?: Partial<VodUploaderStrings>): VodUploaderStrings {
  return { ...tables[resolveLocale(lang)], ...overrides };
}

/** Fills `{name}` placeholders; unknown placeholders stay visible so a broken override is noticed. */
export function format(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => (key in params ? String(params[key]) : all));
}

const units = ['B', 'KB', 'MB', 'GB', 'TB'];

// Creating an Intl.NumberFormat costs far more than using one (the first took 28-50 ms in the
// benchmark's profiles, at the first row render, inside the task that handles the dropped file):
// keep one per language and precision, and let the element make them ahead, when the page is idle
// (`warmNumberFormats`).
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: string, digits: number): Intl.NumberFormat {
  const key = `${lang}|${digits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang, { maximumFractionDigits: digits });
    numberFormats.set(key, format);
  }
  return format;
}

/** Creates the formats `formatBytes` uses for `lang`, so the first row does not pay for them. */
export function warmNumberFormats(lang: string): void {
  numberFormat(lang, 0);
  numberFormat(lang, 1);
}

/** 1536 → "1.5 KB" (binary multiples, as file managers show them). */
export function formatBytes(bytes: number, lang: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${numberFormat(lang, digits).format(value)} ${units[unit]}`;
}

/** Seconds → "1:05:09" or "4:02"; for ETAs and video durations alike. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
