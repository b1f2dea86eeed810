// <vod-uploader>: the public API (attributes, properties, methods, events) and the view: it renders
// the drop zone, the rows and the notices. Others do the work: FileIntake takes picked files in,
// FormField the form association, queueOptionsFrom turns attributes into the engine's options, and
// the UploadController does the uploading.

import { html, isServer, LitElement, nothing, type PropertyValues } from 'lit';
import { inFolder, sameFileKey } from '../engine/fingerprint.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PARALLEL_FILES } from '../engine/options.js';
import type { Metadata, SignatureFunction, UploadSnapshot } from '../engine/types.js';
import { DEFAULT_ENDPOINT } from '../protocol/client.js';
import { validateName } from '../protocol/url.js';
import { UploadController } from './controller.js';
import type { PickedFile } from './drop.js';
import { DropTargetController } from './drop-target.js';
import { queueKeyOf, queueOptionsFrom, UPLOAD_SETTING_KEYS } from './engine-options.js';
import { FileIntake } from './file-intake.js';
import { FormField } from './form-state.js';
import { fireVodEvent, type VodUploadDiscardDetail } from './events.js';
import { hostStates, reflectHostStates } from './host-state.js';
import { format, loadStrings, normalizeLang, stringsFor, warmNumberFormats, type VodUploaderStrings } from './i18n.js';
import { whenIdle } from './idle.js';
import { uploadRegistry } from './page-uploads.js';
import { PageDropController } from './page-drop.js';
import { PosterController } from './poster-controller.js';
import { ListWindow } from './queue-window.js';
import { renderDropzone, renderNotices, renderReading, renderRestorable } from './render-panels.js';
import { renderList, renderSummary, type BulkAction } from './render-queue.js';
import { describeError, RowTemplates, type RowAction } from './render-row.js';
import { uploaderStyles } from './styles.js';
import { ConfirmGate, CountdownController, NoticeList } from './view-state.js';

/** The protocol's own file-name rule, as the validation's yes/no. */
function nameProblem(name: string): string | undefined {
  try {
    validateName(name);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Uploads videos with the upload_slice protocol: SHA-1 in a worker, parallel slices, resume after reload.
 *
 * @tagname vod-uploader
 * @summary A video uploader for Tencent-style `files/v1` endpoints.
 *
 * @fires vod-upload-add - A file joined the list. detail: `{upload}`
 * @fires vod-upload-reject - A file failed validation. detail: `{file, reason, message, folder?}`
 * @fires vod-upload-reject-batch - Once per pick that refused any file: all of them. detail: `{rejections, message}`
 * @fires vod-upload-start - Hashing or sending began. detail: `{upload}`
 * @fires vod-upload-progress - Progress, at most 5 per second per file. detail: `{upload}`
 * @fires vod-upload-pause - An upload was paused. detail: `{upload}`
 * @fires vod-upload-resume - An upload goes on. detail: `{upload}`
 * @fires vod-upload-retry - A transient failure; the next attempt is scheduled. detail: `{upload, attempt, delayMs, error}`
 * @fires vod-upload-success - The server has the file. detail: `{upload, result: {accessUrl, url, resourcePath, instant}}`
 * @fires vod-upload-error - The upload stopped on an error. detail: `{upload, error}`
 * @fires vod-upload-cancel - An upload was cancelled. detail: `{upload}`
 * @fires vod-upload-restorable - After a reload: uploads that can go on. detail: `{uploads}`
 * @fires vod-upload-warning - Something not fatal, e.g. storage unavailable (no resume). detail: `{error}`
 * @fires vod-upload-discard - Stored sessions were forgotten (or refused). detail: `{discarded, refused}`
 * @fires {Event} input - The value (the finished uploads' resource paths) changed; fired before `change`, as native controls do.
 * @fires {Event} change - The value changed (after `input`): an upload finished, a reset, finished rows shown.
 *
 * @slot dropzone - The drop zone's content (the title and hints); it stays the label of the file input.
 * @slot empty - Shown while the list has no file.
 * @slot actions - Extra controls in the toolbar under the drop zone (after "Choose a folder").
 *
 * @csspart base - The wrapper of everything.
 * @csspart dropzone - The drop zone label that opens the file chooser.
 * @csspart input - The native file input (visually hidden, still focusable).
 * @csspart toolbar - The row under the drop zone: the folder picker and the `actions` slot.
 * @csspart folder-picker - The "Choose a folder" button (attribute `folder-picker`).
 * @csspart folder-input - The folder picker's native input (hidden).
 * @csspart reading - "Reading folder… N files" with its stop button.
 * @csspart notice-details - The disclosure with each refused file of a summary notice.
 * @csspart file - One row per upload.
 * @csspart poster - The row's poster frame (a canvas): `data-poster="painted"` once drawn, `"none"` when no frame could be read.
 * @csspart progress - A progress bar (role=progressbar).
 * @csspart status - The phase, speed, result link or error text.
 * @csspart actions - The container of a row's buttons.
 * @csspart button - Every button.
 * @csspart summary - The totals over a batch (more than one file): counts, bytes, overall bar, ETA, bulk actions, filter.
 * @csspart summary-counts - Files, done, failed, bytes sent of the total and the ETA.
 * @csspart summary-eta - The time left for the whole batch ("—" until known).
 * @csspart summary-progress - The wrapper of the overall progress bar (a `progress` part, role=progressbar).
 * @csspart summary-actions - "Retry failed", "Clear finished", "Cancel all".
 * @csspart bulk-button - Each of those (also has part `button`).
 * @csspart filter - The list filter: all, active, failed, done.
 * @csspart filter-button - Each filter button (also `button`; `aria-pressed` marks the chosen one).
 * @csspart filter-empty - The text shown when the filter matches nothing.
 * @csspart list - The scroll box of a long list (past 50 rows), in which only the rows in view exist.
 * @csspart restorable - The unfinished-uploads panel shown after a reload.
 *
 * @cssprop [--vod-uploader-accent-color=#2563eb] - Progress, focus rings and links.
 * @cssprop [--vod-uploader-background=#ffffff] - Background.
 * @cssprop [--vod-uploader-text-color=#1f2937] - Text.
 * @cssprop [--vod-uploader-muted-color=#4b5563] - Secondary text.
 * @cssprop [--vod-uploader-border-color=#9ca3af] - Borders and the drop zone outline.
 * @cssprop [--vod-uploader-error-color=#b91c1c] - Errors and refused drags.
 * @cssprop [--vod-uploader-success-color=#15803d] - Finished uploads.
 * @cssprop [--vod-uploader-track-color=#e5e7eb] - The empty part of progress bars.
 * @cssprop [--vod-uploader-radius=8px] - Corner radius.
 * @cssprop [--vod-uploader-spacing=0.75rem] - Gaps and padding.
 * @cssprop [--vod-uploader-font=system-ui] - Font family.
 * @cssprop [--vod-uploader-list-max-height=32rem] - Height of the scroll box of a long list (past 50 rows).
 */
export class VodUploaderElement extends LitElement {
  static override styles = uploaderStyles;
  static formAssociated = true;
  static override properties = {
    /** The `files/v1` endpoint. */
    endpoint: { type: String },
    appid: { type: String },
    bucket: { type: String },
    /** Folder on the server: zero or more segments separated by `/`. */
    folder: { type: String },
    /** Elements with the same queue name show the same uploads; without one, those of the same appid, bucket and folder. */
    queue: { type: String },
    /** Leaving the page while an upload is sent does not ask first. */
    noLeaveWarning: { type: Boolean, attribute: 'no-leave-warning' },
    /** Where the backend hands out signatures. */
    signatureUrl: { type: String, attribute: 'signature-url' },
    /** `(ctx) => Promise<string>`: returns a signature; wins over `signature-url`. */
    signatureProvider: { attribute: false },
    accept: { type: String },
    /** Bytes per file; 0 = no limit. */
    maxSize: { type: Number, attribute: 'max-size' },
    /** Files in the list at most; 0 = no limit. */
    maxFiles: { type: Number, attribute: 'max-files' },
    multiple: { type: Boolean },
    /** Slices in flight per file. */
    concurrency: { type: Number },
    /** Files sending at once (1–16; the next ones are hashed meanwhile). */
    parallelFiles: { type: Number, attribute: 'parallel-files' },
    /** Do not start on add; call `start()`. */
    manual: { type: Boolean },
    disabled: { type: Boolean, reflect: true },
    /** Form field name: one entry per finished upload, the resource path. */
    name: { type: String },
    required: { type: Boolean },
    lang: { type: String, reflect: true },
    bizAttr: { type: String, attribute: 'biz-attr' },
    magicContext: { type: String, attribute: 'magic-context' },
    /** Files from a dropped or picked folder go to `folder` itself, not to their subfolders under it. */
    noFolderPaths: { type: Boolean, attribute: 'no-folder-paths' },
    /** Shows a "Choose a folder" button (the folder chooser). */
    folderPicker: { type: Boolean, attribute: 'folder-picker' },
    /** Files dropped anywhere on the page that nothing else handles are added here. */
    pageDrop: { type: Boolean, attribute: 'page-drop' },
    /** Send each slice's SHA-1 too. */
    sliceSha: { type: Boolean, attribute: 'slice-sha' },
    /** `(file) => Metadata | Promise<Metadata>`: per-file title, description, cover, biz_attr, magicContext. */
    metadata: { attribute: false },
    /** Overrides of any built-in string. */
    i18n: { attribute: false },
  };

  declare endpoint: string;
  declare appid: string;
  declare bucket: string;
  declare folder: string;
  declare queue: string;
  declare noLeaveWarning: boolean;
  declare signatureUrl: string;
  declare signatureProvider: SignatureFunction | undefined;
  declare accept: string;
  declare maxSize: number;
  declare maxFiles: number;
  declare multiple: boolean;
  declare concurrency: number;
  declare parallelFiles: number;
  declare manual: boolean;
  declare disabled: boolean;
  declare name: string;
  declare required: boolean;
  declare bizAttr: string;
  declare magicContext: string;
  declare sliceSha: boolean;
  declare noFolderPaths: boolean;
  declare folderPicker: boolean;
  declare pageDrop: boolean;
  declare metadata: ((file: File) => Metadata | Promise<Metadata> | undefined) | undefined;
  declare i18n: Partial<VodUploaderStrings> | undefined;

  readonly #field: FormField;
  // A TS-private property, not #controller: test/e2e/element-poster.spec.ts reads what it keeps per row.
  private readonly controller: UploadController;
  readonly #intake: FileIntake;
  readonly #dropTarget: DropTargetController;
  readonly #pageDropTarget: PageDropController;
  private readonly posters: PosterController;
  readonly #notices = new NoticeList(this);
  readonly #confirmGate = new ConfirmGate(this);
  readonly #listWindow = new ListWindow(this, () => this.renderRoot.querySelector('[part=list]'));
  #restorableExpanded = false;
  /** Something is slotted into `actions`: the toolbar shows. */
  #hasActions = false;

  constructor() {
    super();
    this.endpoint = DEFAULT_ENDPOINT;
    this.appid = '';
    this.bucket = '';
    this.folder = '';
    this.queue = '';
    this.noLeaveWarning = false;
    this.signatureUrl = '';
    this.accept = 'video/*';
    this.maxSize = 0;
    this.maxFiles = 0;
    this.multiple = false;
    this.concurrency = DEFAULT_CONCURRENCY;
    this.parallelFiles = DEFAULT_PARALLEL_FILES;
    this.manual = false;
    this.disabled = false;
    this.name = '';
    this.required = false;
    this.bizAttr = '';
    this.magicContext = '';
    this.sliceSha = false;
    this.noFolderPaths = false;
    this.folderPicker = false;
    this.pageDrop = false;
    this.#field = new FormField(this.attachInternals(), this);
    this.controller = new UploadController(this, {
      registry: uploadRegistry,
      queueKey: () => queueKeyOf(this),
      connection: () => ({
        endpoint: this.endpoint || DEFAULT_ENDPOINT,
        signatureUrl: this.signatureUrl,
        signatureProvider: this.signatureProvider,
      }),
      queueOptions: () => queueOptionsFrom(this),
      leaveWarning: () => !this.noLeaveWarning,
      strings: () => this.#strings,
      lang: () => this.#effectiveLang,
      describeError: (error) => describeError(error, this.#strings),
      onUploadsChanged: (removed) => {
        this.#syncForm();
        this.posters?.forget(removed);
      },
    });
    this.posters = new PosterController(this, (id) => this.controller.files.get(id));
    // A warning (e.g. storage refused: no resume after a reload) is shown, not only dispatched.
    this.addEventListener('vod-upload-warning', (event) => {
      this.#notices.add(format(this.#strings.warning, { message: event.detail.error.message }));
    });
    // "Retrying in N seconds" counts down on its own.
    new CountdownController(this, () => this.controller.uploads.some((u) => u.status === 'retrying'));
    this.#intake = new FileIntake(this, {
      controller: this.controller,
      settings: this,
      disabled: () => this.#isDisabled,
      strings: () => this.#strings,
      lang: () => this.#effectiveLang,
      nameProblem,
      sameFile: (file, folder) => sameFileKey(inFolder({ appid: this.appid, bucket: this.bucket, dir: this.folder }, folder), file.name, file.size),
      notify: (text, details) => this.#notices.add(text, details),
      changed: () => this.requestUpdate(),
    });
    this.#dropTarget = new DropTargetController(this, {
      accept: () => this.accept,
      disabled: () => this.#isDisabled,
      onDrop: (data) => void this.addDrop(data),
      onFiles: (picked) => void this.#intake.add(picked),
    });
    this.#pageDropTarget = new PageDropController(this, {
      enabled: () => this.pageDrop,
      disabled: () => this.#isDisabled,
      onDrop: (data) => void this.addDrop(data),
    });
  }

  /** Read-only snapshots of every upload in the list: the same (frozen) array until something changes. */
  get uploads(): readonly UploadSnapshot[] {
    return this.controller.uploads;
  }

  /**
   * Validates and adds files; returns the snapshots of those that joined the list. An item may
   * carry its FileSystemFileHandle (from showOpenFilePicker, say): then a reload can resume it
   * without choosing the file again.
   */
  async addFiles(files: Iterable<File | PickedFile> | ArrayLike<File | PickedFile>): Promise<UploadSnapshot[]> {
    const items = Array.from(files as ArrayLike<File | PickedFile>, (item) => (item instanceof Blob ? { file: item } : item));
    return this.#intake.add(items);
  }
  /**
   * Adds the files of a drop (folders walked, their tree kept under `folder`), as a drop on the
   * element does: for a drop target of the page's own. Call it inside the `drop` event.
   */
  addDrop(data: DataTransfer): Promise<UploadSnapshot[]> {
    return this.#intake.addDrop(data);
  }
  /** Opens the file chooser, as a click on the drop zone does (needs a user gesture). */
  showPicker(): void {
    this.#input?.click();
  }
  start(id?: string): void {
    this.controller.start(id);
  }
  pause(id?: string): void {
    this.controller.pause(id);
  }
  resume(id?: string): void {
    this.controller.resume(id);
  }
  cancel(id?: string): void {
    this.controller.cancel(id);
  }
  retry(id?: string): void {
    this.controller.retry(id);
  }
  /** Removes the done and cancelled rows (as the "Clear finished" button does). */
  clearFinished(): void {
    this.controller.clearFinished();
  }
  /**
   * Forgets stored sessions (IndexedDB), so a shared computer offers nothing after a reload: the one
   * of `key` (a `RestorableUpload.key`), or all that are not in this list. Each is deleted under its
   * cross-tab lock; one that is uploading here or in another tab is refused, with a notice, in
   * `refused` and in the `vod-upload-discard` event.
   */
  async discardStored(key?: string): Promise<VodUploadDiscardDetail> {
    const result = await this.controller.discardStored(key);
    const s = this.#strings;
    const refused = result.refused.map((r) => ({
      ...r,
      message: format(r.where === 'here' ? s.discardRefusedHere : s.discardRefusedElsewhere, { name: r.name }),
    }));
    for (const r of refused.slice(0, 3)) this.#notices.add(r.message);
    if (refused.length > 3) this.#notices.add(format(s.discardRefusedMore, { count: refused.length - 3 }));
    const detail = { discarded: result.discarded, refused };
    fireVodEvent(this, 'vod-upload-discard', detail);
    return detail;
  }
  /** Empties the list (running uploads are cancelled) and dismisses notices. */
  clear(): void {
    this.controller.clear();
    this.#notices.clear();
  }

  /**
   * The finished uploads' resource paths, one per line ('' when none): what the form submits, as
   * text. `input` and `change` fire when it changes. Only '' can be set (as on `<input type=file>`):
   * it does what a form reset does (clears the finished rows, never a running upload); any other
   * value is ignored, so a framework writing back the value it read changes nothing.
   */
  get value(): string {
    return this.#field.value;
  }
  set value(value: string) {
    if (value === '' && this.#field.value !== '') this.formResetCallback();
  }

  /** The form this control belongs to, as for native controls. */
  get form(): HTMLFormElement | null {
    return this.#field.internals.form;
  }
  get validity(): ValidityState {
    return this.#field.internals.validity;
  }
  get validationMessage(): string {
    return this.#field.internals.validationMessage;
  }
  checkValidity(): boolean {
    return this.#field.internals.checkValidity();
  }
  reportValidity(): boolean {
    return this.#field.internals.reportValidity();
  }

  /** A form reset clears the value and the finished rows; running uploads go on (README, Forms). */
  formResetCallback(): void {
    this.#field.hold(() => this.controller.resetFinished());
    this.#notices.clear();
  }
  formDisabledCallback(disabled: boolean): void {
    this.#field.disabledByForm = disabled;
    this.requestUpdate();
  }

  get #strings(): VodUploaderStrings {
    return stringsFor(this.#effectiveLang, this.i18n);
  }
  readonly #rowTemplates = new RowTemplates();
  /** The language in effect, as a tag Intl accepts (`zh_CN` → `zh-CN`, garbage → `en`). */
  get #effectiveLang(): string {
    // The property first: LitElement renders before it reflects the attribute. On the server (SSR)
    // there is no tree to look up: the element's own `lang`, else English.
    if (isServer) return normalizeLang(this.lang || 'en');
    return normalizeLang(this.lang || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en');
  }
  get #isDisabled(): boolean {
    return this.disabled || this.#field.disabledByForm;
  }
  get #input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input[type=file]');
  }

  #syncForm(): void {
    this.#field.sync({
      uploads: this.controller.uploads,
      name: this.name,
      required: this.required,
      strings: this.#strings,
      anchor: this.#input ?? undefined,
    });
  }

  #onInputChange(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    // Cleared so that choosing the same file again (after cancel) fires `change` again.
    input.value = '';
    void this.#intake.addChosen(files);
  }

  #onBulkAction(action: BulkAction): void {
    if (action === 'retry-failed') this.controller.retry();
    else if (action === 'clear-finished') this.controller.clearFinished();
    // One unfinished upload goes at once, as its row's Cancel does; more ask for a second click.
    else if (this.controller.summary.totals.unfinished < 2 || this.#confirmGate.confirm(action)) this.controller.cancelAll();
    if (action !== 'cancel-all') this.#confirmGate.disarm();
  }

  #onDiscardAll(): void {
    if (this.#confirmGate.confirm('discard-all')) void this.discardStored();
  }

  #onRowAction(action: RowAction, id: string): void {
    if (action === 'remove') this.controller.remove(id);
    else this.controller[action](id);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#syncForm();
    // The number formats of the rows cost 28-50 ms to create: made now, while the page is idle, not in
    // the task that handles the first dropped file.
    whenIdle(() => warmNumberFormats(this.#effectiveLang));
  }

  /** Holds an update until the language's table has loaded, so the strings never flash in English. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const loading = loadStrings(this.#effectiveLang);
    if (!loading) return super.scheduleUpdate();
    return loading.then(() => super.scheduleUpdate());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (UPLOAD_SETTING_KEYS.some((k) => changed.has(k))) this.controller.configure();
    if (changed.has('name') || changed.has('required')) this.#syncForm();
  }

  protected override updated(): void {
    const dragover = this.#dropTarget.state !== 'none' || this.#pageDropTarget.active;
    reflectHostStates(this, hostStates(this.controller.statusCounts(), dragover, this.#intake.reading !== undefined));
  }

  protected override render(): unknown {
    const s = this.#strings;
    const lang = this.#effectiveLang;
    const disabled = this.#isDisabled;
    const now = Date.now();
    const drag = this.#dropTarget.state;
    return html`<div part="base" class="drag-${drag} ${disabled ? 'disabled' : ''}" lang=${lang}>
      ${renderDropzone({ strings: s, lang, disabled, drag, accept: this.accept, multiple: this.multiple, maxSize: this.maxSize, folderPicker: this.folderPicker, hasActions: this.#hasActions, onActionsChange: (has) => {
        this.#hasActions = has;
        this.requestUpdate();
      }, onChange: (e) => this.#onInputChange(e) })}
      ${renderReading(this.#intake.reading, s, lang, () => this.#intake.stopReading())}
      ${renderNotices(this.#notices.items, s, lang, (id) => this.#notices.dismiss(id))}
      ${renderRestorable(this.controller.restorable, {
        strings: s,
        lang,
        disabled,
        canResume: (key) => this.controller.handles.has(key),
        resume: (r) => void this.#intake.resumeRestorable(r),
        discard: (r) => void this.discardStored(r.key),
        discardAll: () => this.#onDiscardAll(),
        discardAllArmed: this.#confirmGate.armed('discard-all'),
        expanded: this.#restorableExpanded,
        expand: () => {
          this.#restorableExpanded = true;
          this.requestUpdate();
        },
      })}
      ${renderSummary({
        strings: s,
        lang,
        disabled,
        totals: this.controller.summary.totals,
        eta: this.controller.summary.eta,
        filter: this.#listWindow.filter,
        armed: (action) => this.#confirmGate.armed(action),
        bulk: (action) => this.#onBulkAction(action),
        setFilter: (filter) => this.#listWindow.setFilter(filter),
      })}
      ${renderList(this.controller.uploads, this.#listWindow, {
        strings: s,
        lang,
        disabled,
        now,
        act: (a, id) => this.#onRowAction(a, id),
      }, (id) => this.posters.duration(id), this.#rowTemplates)}
      ${this.controller.uploads.length === 0 ? html`<slot name="empty"></slot>` : nothing}
      <div class="visually-hidden" role="status" aria-live="polite">${this.controller.announcement}</div>
    </div>`;
  }
}
