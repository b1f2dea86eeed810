// The package's side-effect-free entry: classes, factories and types. Importing it defines no
// element; `vod-uploader.js` registers <vod-uploader> (or call customElements.define yourself).

export { VodUploaderElement } from './element/vod-uploader-element.js';
export { VodUploaderDropElement } from './drop/vod-uploader-drop.js';
export type * from './element/events.js';
export type { VodUploaderStrings, VodUploaderLocale } from './element/i18n.js';
export { matchesAccept, validateFiles } from './element/validation.js';
export type { PickedFile } from './element/drop.js';
export { UploadQueue, type DiscardResult } from './engine/queue.js';
export type { EngineDeps, QueueOptions } from './engine/options.js';
export { UploadError, ErrorAction, ErrorKind, isAbortError } from './engine/errors.js';
export type { UploadErrorInit } from './engine/errors.js';
export { UploadStatus } from './engine/types.js';
export type {
  ByteRange,
  CreateRequest,
  CreateResult,
  Hasher,
  HashCheckpoint,
  HashOptions,
  LockHandle,
  Metadata,
  OnlineSource,
  ProtocolClient,
  RestorableUpload,
  SessionStore,
  SignatureContext,
  SignatureFunction,
  SignatureReason,
  SignatureScope,
  Signer,
  SliceRequest,
  SliceResult,
  StoredSession,
  UploadErrorInfo,
  UploadLocks,
  UploadQueueEventMap,
  UploadResult,
  UploadSnapshot,
  UploadTarget,
} from './engine/types.js';
export { createProtocolClient, DEFAULT_ENDPOINT } from './protocol/client.js';
export type { ProtocolClientOptions } from './protocol/client.js';
export { createSigner } from './protocol/signature.js';
export type { SignerOptions } from './protocol/signature.js';
export { createHasher } from './hashing/hasher.js';
export { IdbSessionStore } from './store/idb-store.js';
export { MemorySessionStore } from './store/memory-store.js';
export { WebLocks, MemoryLocks } from './store/web-locks.js';
export { browserOnlineSource } from './store/online.js';
export { pageUploads } from './element/page-uploads.js';
export type { PageUploads, PageUploadsSnapshot } from './element/page-uploads.js';
