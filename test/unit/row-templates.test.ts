// The row templates are reused while nothing a row shows changed (render-row.ts, RowTemplates): a
// render comes with every progress tick, and building each unchanged row again was main-thread work
// per tick. Identity is the test: the queue hands out the same snapshot until an upload changes, and
// stringsFor the same strings while the language and the overrides object are the same.
import { describe, expect, it } from 'vitest';
import type { UploadSnapshot } from '../../src/engine/types.js';
import { stringsFor } from '../../src/element/i18n.js';
import { RowTemplates, type RowContext } from '../../src/element/render-row.js';

function snap(id: string, patch: Partial<UploadSnapshot> = {}): UploadSnapshot {
  return { id, name: `${id}.mp4`, size: 1000, type: 'video/mp4', path: `/${id}.mp4`, status: 'uploading', hashedBytes: 1000, uploadedBytes: 10, speed: 0, ...patch };
}
const ctx = (patch: Partial<RowContext> = {}): RowContext => ({
  strings: stringsFor('en'), lang: 'en', disabled: false, now: 1000, act: () => {}, ...patch,
});

describe('RowTemplates', () => {
  it('gives an unchanged row its template back, and builds a changed one again', () => {
    const rows = new RowTemplates();
    const a = snap('a');
    const b = snap('b');
    rows.begin();
    const ta = rows.row(a, ctx());
    const tb = rows.row(b, ctx());
    rows.begin();
    // A new context object each render (the element makes one), with the same values: reused.
    expect(rows.row(a, ctx())).toBe(ta);
    const b2 = snap('b', { uploadedBytes: 20 });
    const tb2 = rows.row(b2, ctx());
    expect(tb2).not.toBe(tb);
    expect(tb2.values).not.toEqual(tb.values);
    rows.begin();
    expect(rows.row(b2, ctx({ disabled: true }))).not.toBe(tb2);
    expect(rows.row(a, ctx({ lang: 'de' }))).not.toBe(ta);
  });

  it('compares the clock only for a row counting down to a retry', () => {
    const rows = new RowTemplates();
    const idle = snap('a');
    const waiting = snap('b', { status: 'retrying', retryAt: 5000 });
    rows.begin();
    const ti = rows.row(idle, ctx({ now: 1000 }));
    const tw = rows.row(waiting, ctx({ now: 1000 }));
    rows.begin();
    expect(rows.row(idle, ctx({ now: 2000 }))).toBe(ti);
    expect(rows.row(waiting, ctx({ now: 2000 }))).not.toBe(tw);
  });

  it('forgets the rows a render left out, and tells the place in the list apart', () => {
    const rows = new RowTemplates();
    const a = snap('a');
    rows.begin();
    const first = rows.row(a, ctx({ compact: true }), { position: 1, size: 100, gapBefore: 0 });
    rows.begin(); // a render without row a (scrolled out of the window)
    rows.begin();
    expect(rows.row(a, ctx({ compact: true }), { position: 1, size: 100, gapBefore: 0 })).not.toBe(first);
    rows.begin();
    const placed = rows.row(a, ctx({ compact: true }), { position: 1, size: 100, gapBefore: 0 });
    rows.begin();
    expect(rows.row(a, ctx({ compact: true }), { position: 2, size: 100, gapBefore: 40 })).not.toBe(placed);
  });

  it('the same strings object while the language and the overrides object are the same', () => {
    const overrides = { pauseText: 'Halt' };
    expect(stringsFor('en')).toBe(stringsFor('en-GB'));
    expect(stringsFor('en', overrides)).toBe(stringsFor('en', overrides));
    expect(stringsFor('en', overrides)).not.toBe(stringsFor('en', { pauseText: 'Halt' }));
    expect(stringsFor('en', overrides).pauseText).toBe('Halt');
  });
});
