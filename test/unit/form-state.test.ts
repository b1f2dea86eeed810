// The element as a form control (src/element/form-state.ts): the form value is rebuilt only when the
// finished paths change, the validity only when what it says changes, and `input`/`change` fire once
// per new value. With 10,000 files it is synced a few times a second (bench "many files").
import { describe, expect, it } from 'vitest';
import { FormField } from '../../src/element/form-state.js';
import { stringsFor } from '../../src/element/i18n.js';
import type { UploadSnapshot } from '../../src/engine/types.js';

function row(id: string, status: UploadSnapshot['status']): UploadSnapshot {
  return { id, status, ...(status === 'done' ? { result: { resourcePath: `/d/${id}.mp4` } } : {}) } as unknown as UploadSnapshot;
}

function setup() {
  const calls = { value: [] as Array<string[] | null>, validity: [] as string[] };
  const internals = {
    setFormValue: (v: FormData | null) => calls.value.push(v ? (v.getAll('video') as string[]) : null),
    setValidity: (flags: Record<string, boolean>) => calls.validity.push(Object.keys(flags).join(',') || 'valid'),
  } as unknown as ElementInternals;
  const host = new EventTarget() as HTMLElement;
  const events: string[] = [];
  host.addEventListener('input', () => events.push('input'));
  host.addEventListener('change', () => events.push('change'));
  const field = new FormField(internals, host);
  const strings = stringsFor('en');
  const sync = (uploads: UploadSnapshot[], required = false): void => field.sync({ uploads, name: 'video', required, strings });
  return { field, calls, events, sync };
}

describe('FormField', () => {
  it('rebuilds the form value only when the finished paths change, and says each new value once', () => {
    const t = setup();
    t.sync([row('a', 'uploading'), row('b', 'queued')]);
    t.sync([row('a', 'uploading'), row('b', 'queued')]); // progress: nothing to redo
    expect(t.calls.value).toEqual([null]);
    expect(t.calls.validity).toEqual(['customError']);
    t.sync([row('a', 'done'), row('b', 'uploading')]);
    t.sync([row('a', 'done'), row('b', 'uploading')]);
    expect(t.calls.value).toEqual([null, ['/d/a.mp4']]);
    expect(t.field.value).toBe('/d/a.mp4');
    expect(t.calls.validity).toEqual(['customError']);
    t.sync([row('a', 'done'), row('b', 'done')]);
    expect(t.calls.value.at(-1)).toEqual(['/d/a.mp4', '/d/b.mp4']);
    expect(t.field.value).toBe('/d/a.mp4\n/d/b.mp4');
    expect(t.calls.validity).toEqual(['customError', 'valid']);
    expect(t.events).toEqual(['input', 'change', 'input', 'change']);
    // A done row removed and another finished in the same burst: same count, another value.
    t.sync([row('b', 'done'), row('c', 'done')]);
    expect(t.field.value).toBe('/d/b.mp4\n/d/c.mp4');
    expect(t.calls.value).toHaveLength(4);
  });

  it('required: missing while nothing finished, valid once a path is there', () => {
    const t = setup();
    t.sync([], true);
    t.sync([row('a', 'error')], true);
    expect(t.calls.validity).toEqual(['valueMissing']);
    t.sync([row('a', 'done')], true);
    expect(t.calls.validity).toEqual(['valueMissing', 'valid']);
  });
});
