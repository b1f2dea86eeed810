// The element's bridge to the queue, in Node with the engine's fakes and a stand-in host: the DOM
// events it fires are the engine's, one for one (the engine alone throttles progress).
import { describe, expect, it } from 'vitest';
import type { ReactiveController } from 'lit';
import { UploadController } from '../../src/element/controller.js';
import { stringsFor } from '../../src/element/i18n.js';
import { UploadRegistry } from '../../src/element/page-uploads.js';
import { UploadQueue } from '../../src/engine/queue.js';
import { SliceBudget } from '../../src/engine/slice-budget.js';
import type { UploadSnapshot } from '../../src/engine/types.js';
import { FakeClock } from './fakes/clock.js';
import { FakeProtocol } from './fakes/fake-protocol.js';
import { FakeHasher, FakeOnline, FakeSigner, LockRegistry, TestStore, makeFile } from './fakes/fakes.js';
import { TARGET, waitFor } from './fakes/harness.js';

/** What the controller needs of its element: an EventTarget that takes controllers and updates. */
class FakeHost extends EventTarget {
  readonly controllers: ReactiveController[] = [];
  addController(c: ReactiveController): void {
    this.controllers.push(c);
  }
  removeController(): void {}
  requestUpdate(): void {}
  readonly updateComplete = Promise.resolve(true);
}

/** A controller on a registry of its own over the fakes, showing the queue `key()` names. */
function makeController(protocol: FakeProtocol, clock: FakeClock, key: () => string, onUploadsChanged: (removed: readonly string[]) => void = () => undefined) {
  const host = new FakeHost();
  const registry = new UploadRegistry((current) => ({
    queue: new UploadQueue(
      {
        protocol, signer: new FakeSigner(), hasher: new FakeHasher(), store: new TestStore(clock.now),
        locks: new LockRegistry().tab(), online: new FakeOnline(), now: clock.now, sleep: clock.sleep,
        sliceBudget: new SliceBudget(),
      },
      current().queueOptions(),
    ),
    close: () => undefined,
  }), { page: () => undefined });
  const controller = new UploadController(host as never, {
    registry,
    queueKey: key,
    connection: () => ({ endpoint: '', signatureUrl: '' }),
    leaveWarning: () => true,
    queueOptions: () => ({ target: TARGET, concurrency: 1 }),
    strings: () => stringsFor('en'),
    lang: () => 'en',
    describeError: (e) => e.message,
    onUploadsChanged,
  });
  return { controller, host, registry };
}

describe('UploadController', () => {
  it('fires every progress event of the engine, the end of hashing included, before the next status', async () => {
    const clock = new FakeClock();
    const protocol = new FakeProtocol();
    protocol.sliceSize = 1000;
    const { controller, host } = makeController(protocol, clock, () => 'k');
    const seen: Array<{ type: string; upload: UploadSnapshot }> = [];
    for (const type of ['vod-upload-progress', 'vod-upload-success']) {
      host.addEventListener(type, (e) => seen.push({ type, upload: (e as CustomEvent<{ upload: UploadSnapshot }>).detail.upload }));
    }
    const file = makeFile(4000);
    await controller.add([{ file }]);
    await waitFor(() => seen.some((e) => e.type === 'vod-upload-success'), 'success');
    // The fake clock stands still: the engine emits the first progress of each phase and flushes
    // the last one at the status change; a second throttle on real time swallowed that flush.
    const hashing = seen.filter((e) => e.type === 'vod-upload-progress' && e.upload.status === 'hashing');
    expect(hashing.at(-1)?.upload.hashedBytes).toBe(file.size);
    const uploading = seen.filter((e) => e.type === 'vod-upload-progress' && e.upload.status === 'uploading');
    expect(uploading.at(-1)?.upload.uploadedBytes).toBe(file.size);
    expect(seen.at(-1)?.type).toBe('vod-upload-success');
    controller.dispose();
  });

  it('follows a target set late to its queue while its list is empty, and adds files there', async () => {
    const clock = new FakeClock();
    const protocol = new FakeProtocol();
    let key = 'first';
    const { controller, registry } = makeController(protocol, clock, () => key);
    await controller.ready();
    const early = registry.join('first', { connection: () => ({ endpoint: '', signatureUrl: '' }), queueOptions: () => ({ target: TARGET }), leaveWarning: () => true });
    // The file is added as the target arrives (one task): it goes with the element to the new queue.
    const adding = controller.add([{ file: makeFile(3000) }]);
    key = 'second';
    controller.configure();
    const { added } = await adding;
    expect(early.queue.uploads).toEqual([]);
    const second = registry.join('second', { connection: () => ({ endpoint: '', signatureUrl: '' }), queueOptions: () => ({ target: TARGET }), leaveWarning: () => true });
    expect(second.queue.uploads.map((u) => u.id)).toEqual(added.map((u) => u.id));
    expect(controller.uploads.map((u) => u.id)).toEqual(added.map((u) => u.id));
  });

  it('forgets, when it comes back, what it kept for rows removed while it was detached', async () => {
    const clock = new FakeClock();
    const protocol = new FakeProtocol();
    const removedSeen: string[] = [];
    const { controller, registry } = makeController(protocol, clock, () => 'k', (removed) => removedSeen.push(...removed));
    await controller.ready();
    const { added } = await controller.add([{ file: makeFile(3000) }, { file: makeFile(2000) }]);
    const [gone, kept] = added.map((u) => u.id);
    expect([...controller.files.keys()].sort()).toEqual([gone, kept].sort());
    await waitFor(() => controller.uploads.every((u) => u.status === 'done'), 'both done');
    // Another member keeps the queue alive while the element is away; the row is removed meanwhile.
    const other = registry.join('k', { connection: () => ({ endpoint: '', signatureUrl: '' }), queueOptions: () => ({ target: TARGET }), leaveWarning: () => true });
    controller.dispose();
    other.queue.remove(gone!);
    expect(removedSeen).toEqual([]);
    await controller.ready();
    expect([...controller.files.keys()]).toEqual([kept]);
    expect(removedSeen).toEqual([gone]);
  });
});
