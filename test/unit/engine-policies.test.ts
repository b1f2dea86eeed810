// The small policies of the engine: backoff schedule, adaptive concurrency, speed/ETA, fingerprint.
import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency, STEP_UP_STREAK } from '../../src/engine/adaptive-concurrency.js';
import { RETRY_CAP_MS, backoffDelay } from '../../src/engine/backoff.js';
import { fingerprintKey, targetPath } from '../../src/engine/fingerprint.js';
import { DEFAULT_PARALLEL_FILES, resolveOptions } from '../../src/engine/options.js';
import { SpeedMeter } from '../../src/engine/speed.js';

const T = { appid: '1', bucket: 'b', dir: '/a/b/' };

describe('backoff with full jitter', () => {
  it('doubles from 0.5 s and scales by random()', () => {
    const half = (): number => 0.5;
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, half))).toEqual([250, 500, 1000, 2000]);
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(backoffDelay(1, () => 0.999)).toBe(499);
  });

  it('never exceeds the 30 s cap', () => {
    expect(backoffDelay(7, () => 0.999)).toBe(Math.floor(0.999 * RETRY_CAP_MS));
    expect(backoffDelay(40, () => 0.999)).toBe(Math.floor(0.999 * RETRY_CAP_MS));
  });
});

describe('adaptive concurrency', () => {
  it('halves on a timeout (not below 1) and climbs back one step per streak', () => {
    const a = new AdaptiveConcurrency(4);
    a.onTimeout();
    expect(a.limit).toBe(2);
    a.onTimeout();
    a.onTimeout();
    expect(a.limit).toBe(1);
    for (let i = 0; i < STEP_UP_STREAK; i++) a.onSliceAcked();
    expect(a.limit).toBe(2);
    for (let i = 0; i < 3 * STEP_UP_STREAK; i++) a.onSliceAcked();
    expect(a.limit).toBe(4); // back to the cap, never beyond it
  });

  it('stays at the configured value when disabled', () => {
    const a = new AdaptiveConcurrency(3, false);
    a.onTimeout();
    expect(a.limit).toBe(3);
  });
});

describe('speed and ETA', () => {
  it('measures over a moving window', () => {
    const m = new SpeedMeter(4000);
    expect(m.bytesPerSecond).toBe(0);
    expect(m.eta(100)).toBeUndefined();
    m.sample(0, 0);
    m.sample(1000, 1000);
    expect(m.bytesPerSecond).toBe(1000);
    expect(m.eta(5000)).toBe(5);
    // A faster link later: after the window the old slow part no longer counts.
    for (let t = 2000; t <= 10_000; t += 1000) m.sample(t, 1000 + (t - 1000) * 10);
    expect(m.bytesPerSecond).toBeGreaterThanOrEqual(10_000 * 0.99);
    m.reset();
    expect(m.bytesPerSecond).toBe(0);
  });
});

describe('fingerprint key', () => {
  it('depends on target, name, size and sampled sha, and trims slashes of the dir', () => {
    expect(targetPath(T, 'x.mp4')).toBe('a/b/x.mp4');
    expect(targetPath({ ...T, dir: '' }, 'x.mp4')).toBe('x.mp4');
    const k = fingerprintKey(T, 'x.mp4', 10, 'abc');
    expect(fingerprintKey({ ...T, dir: 'a/b' }, 'x.mp4', 10, 'abc')).toBe(k);
    expect(fingerprintKey(T, 'x.mp4', 11, 'abc')).not.toBe(k);
    expect(fingerprintKey(T, 'x.mp4', 10, 'abd')).not.toBe(k);
    expect(fingerprintKey({ ...T, bucket: 'c' }, 'x.mp4', 10, 'abc')).not.toBe(k);
  });

  it('cannot be forged by a separator in the name', () => {
    expect(fingerprintKey(T, 'a:1', 2, 's')).not.toBe(fingerprintKey(T, 'a', 1, '2:s'));
  });
});

describe('options', () => {
  it('defaults and clamps', () => {
    const o = resolveOptions({ target: T });
    expect(o).toMatchObject({ concurrency: 5, parallelFiles: DEFAULT_PARALLEL_FILES, autoStart: true, sliceSha: false, adaptiveConcurrency: true });
    expect(o.sessionMaxAgeMs).toBe(7 * 24 * 3600 * 1000);
    expect(resolveOptions({ target: T, concurrency: 20 }).concurrency).toBe(6);
    expect(resolveOptions({ target: T, concurrency: 0 }).concurrency).toBe(1);
  });
});
