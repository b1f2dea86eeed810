// Which of the page's queues an element shows (engine-options.ts queueKeyOf): elements share one only
// when they upload to the same place, or name the same queue.
import { describe, expect, it } from 'vitest';
import { queueKeyOf } from '../../src/element/engine-options.js';
import { DEFAULT_ENDPOINT } from '../../src/protocol/client.js';

const base = { endpoint: '', appid: '1250000000', bucket: 'videos', folder: 'uploads/2026', queue: '' };

describe('queueKeyOf', () => {
  it('the same target, slashes around the folder aside, is the same queue', () => {
    expect(queueKeyOf({ ...base, folder: '/uploads/2026/' })).toBe(queueKeyOf(base));
    expect(queueKeyOf({ ...base, endpoint: DEFAULT_ENDPOINT })).toBe(queueKeyOf(base));
  });

  it('another endpoint, appid, bucket or folder is another queue', () => {
    const keys = [
      queueKeyOf(base),
      queueKeyOf({ ...base, endpoint: 'http://127.0.0.1:9/files/v1' }),
      queueKeyOf({ ...base, appid: '1250000001' }),
      queueKeyOf({ ...base, bucket: 'other' }),
      queueKeyOf({ ...base, folder: 'uploads/2027' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a queue name wins over the target', () => {
    expect(queueKeyOf({ ...base, queue: 'cms' })).toBe(queueKeyOf({ ...base, endpoint: 'http://127.0.0.1:9/files/v1', folder: 'x', queue: 'cms' }));
  });
});
