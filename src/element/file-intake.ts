// Files on their way into the list, from the chooser, a drop, a paste or addFiles(): checked against
// the attributes, each refusal told three ways (notice, live region, `vod-upload-reject`), and an
// errored row of a file chosen again replaced. Also resumes a restorable upload from its stored handle.

import type { RestorableUpload, UploadSnapshot } from '../engine/types.js';
import type { UploadController } from './controller.js';
import type { PickedFile } from './drop.js';
import { fireVodEvent, type RejectReason } from './events.js';
import type { VodUploaderStrings } from './i18n.js';
import { fileIdentity, rejectionMessage, validateFiles, type ValidationRules } from './validation.js';

/** The attributes a pick is checked against. */
export interface IntakeSettings {
  accept: string;
  maxSize: number;
  maxFiles: number;
  multiple: boolean;
}

export interface FileIntakeConfig {
  controller: UploadController;
  settings: IntakeSettings;
  disabled: () => boolean;
  strings: () => VodUploaderStrings;
  lang: () => string;
  nameProblem: ValidationRules['nameProblem'];
  /** Shows a dismissable notice. */
  notify: (text: string) => void;
}

export class FileIntake {
  constructor(
    private readonly host: HTMLElement,
    private readonly config: FileIntakeConfig,
  ) {}

  /** Validates and adds; resolves to the snapshots of the files that joined the list. */
  async add(picked: PickedFile[]): Promise<UploadSnapshot[]> {
    const { controller } = this.config;
    if (this.config.disabled() || picked.length === 0) return [];
    const files = picked.map((p) => p.file);
    const rules = this.rules(files);
    const { accepted, rejected } = validateFiles(files, rules);
    for (const rejection of rejected) this.reject(rejection.file, rejection.reason, rules);
    if (accepted.length === 0) return [];
    const acceptedIds = new Set(accepted.map(fileIdentity));
    controller.replace(rules.replaced.filter((id) => acceptedIds.has(fileIdentity(controller.files.get(id)!))));
    const { added, duplicates } = await controller.add(picked.filter((p) => accepted.includes(p.file)));
    for (const file of duplicates) this.reject(file, 'duplicate', rules);
    return added;
  }

  /** Goes on with a stored upload from its file handle; call it inside the click. */
  async resumeRestorable(upload: RestorableUpload): Promise<void> {
    const { controller } = this.config;
    const handle = controller.handles.get(upload.key) as
      | (FileSystemFileHandle & { requestPermission?: (d: { mode: 'read' }) => Promise<PermissionState> })
      | undefined;
    // Asked first thing inside the click: the permission prompt needs the user's gesture.
    try {
      const permission = handle?.requestPermission ? await handle.requestPermission({ mode: 'read' }) : 'granted';
      if (permission === 'granted') await controller.restore(upload.key);
    } catch (error) {
      // The file moved or the permission was refused: the row stays, choosing the file again still works.
      this.config.notify(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * The rules for a pick. A file chosen again while its row shows an error is not a duplicate: it
   * replaces that row (`replaced`), e.g. after "hashing unavailable" or a file changed on disk.
   */
  private rules(picked: readonly File[]): ValidationRules & { replaced: string[] } {
    const { controller, settings } = this.config;
    const chosen = new Set(picked.map(fileIdentity));
    const replaced: string[] = [];
    const known = new Set<string>();
    let count = 0;
    for (const u of controller.uploads) {
      if (u.status === 'cancelled') continue;
      const file = controller.files.get(u.id);
      const identity = file && fileIdentity(file);
      if (identity && u.status === 'error' && chosen.has(identity)) {
        replaced.push(u.id);
        continue;
      }
      count++;
      if (identity) known.add(identity);
    }
    return {
      accept: settings.accept,
      maxSize: settings.maxSize,
      // Without `multiple`, one file per pick (a drop of several keeps the first), within max-files still.
      maxFiles: settings.multiple || (settings.maxFiles > 0 && settings.maxFiles <= count) ? settings.maxFiles : count + 1,
      existingCount: count,
      known,
      nameProblem: this.config.nameProblem,
      replaced,
    };
  }

  private reject(file: File, reason: RejectReason, rules: ValidationRules): void {
    const message = rejectionMessage({ file, reason }, rules, this.config.strings(), this.config.lang());
    this.config.notify(message);
    this.config.controller.announcement = message;
    fireVodEvent(this.host, 'vod-upload-reject', { file, reason, message });
  }
}
