// A file added with a `folder` (a folder drop's tree) goes to that subfolder of the queue's target:
// its path and its "same file" rule, so one name in two folders is two uploads.
import { describe, expect, it } from 'vitest';
import { makeFile } from './fakes/fakes.js';
import { makeHarness } from './fakes/harness.js';

describe('UploadQueue.add with a folder', () => {
  it('puts the file under the target folder, and the same name in two folders is two uploads', async () => {
    const h = makeHarness();
    const { added, duplicates } = h.queue.add([
      { file: makeFile(100, 'a.mp4'), folder: 'trip/day 1' },
      { file: makeFile(100, 'a.mp4'), folder: 'trip/day 2' },
      { file: makeFile(100, 'a.mp4'), folder: '/trip/day 2/' },
      makeFile(100, 'a.mp4'),
    ]);
    expect(duplicates).toHaveLength(1); // the third: slashes around the folder do not count
    expect(added.map((u) => u.path)).toEqual(['uploads/2026/trip/day 1/a.mp4', 'uploads/2026/trip/day 2/a.mp4', 'uploads/2026/a.mp4']);
    for (const u of added) expect((await h.until(u.id, 'done')).status).toBe('done');
  });
});
