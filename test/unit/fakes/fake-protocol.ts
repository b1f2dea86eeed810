// A scripted in-memory upload_slice server for engine tests. It honours what the real one does:
// sessions, the first missing byte as `offset`, slices of exactly `slice_size` (the last shorter),
// done on the slice that completes the file, instant upload for a known sha. Any call can be made
// to fail with any UploadError, answers can be held (to pause or cancel with requests in flight),
// and it records every call and the most requests it had in flight at once.

import { abortedError, ErrorAction, ErrorKind, UploadError } from '../../../src/engine/errors.js';
import { addRange, totalBytes } from '../../../src/engine/ranges.js';
import type {
  ByteRange, CreateRequest, CreateResult, ProtocolClient, SliceRequest, SliceResult, UploadResult,
} from '../../../src/engine/types.js';

export interface FakeCall {
  op: 'create' | 'slice';
  name: string;
  signature: string;
  session?: string;
  sha?: string;
  /** create: filesize; slice: the body's size. */
  size: number;
  offset?: number;
  metadata?: CreateRequest['metadata'];
  /** Requests in flight when this one arrived (itself included). */
  inFlight?: number;
}

interface ServerSession {
  id: string;
  path: string;
  sha: string;
  size: number;
  sliceSize: number;
  received: ByteRange[];
  done: boolean;
}

type FaultAnswer = UploadError | 'lose-done';
interface Fault {
  when: (call: FakeCall) => boolean;
  answer: (call: FakeCall) => FaultAnswer;
  times: number;
}

export function serverError(code: number, action: UploadError['action'], message = `server error ${code}`): UploadError {
  return new UploadError({ kind: ErrorKind.Server, code, message, action, serverMessage: message });
}
export function networkError(): UploadError {
  return new UploadError({ kind: ErrorKind.Network, code: 'network', message: 'Failed to fetch', action: ErrorAction.Retry });
}
export function timeoutError(): UploadError {
  return new UploadError({ kind: ErrorKind.Timeout, code: 'timeout', message: 'Request timed out', action: ErrorAction.Retry });
}

export class FakeProtocol implements ProtocolClient {
  sliceSize = 1024;
  readonly calls: FakeCall[] = [];
  readonly violations: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Slice requests only (first requests are outside the slice budget). */
  slicesInFlight = 0;
  maxSlicesInFlight = 0;
  /** Which signatures the server accepts (default: all). */
  acceptSignature: (signature: string) => boolean = () => true;
  /** Called as each answer is produced (tests move a fake clock here). */
  onAnswer?: (call: FakeCall) => void;
  private readonly sessions = new Map<string, ServerSession>();
  private readonly finishedShas = new Set<string>();
  private faults: Fault[] = [];
  private holding = false;
  private held: (() => void)[] = [];
  private nextSession = 1;

  /** The next `times` calls matching `when` fail with `error` (or lose their 'done'). */
  fail(when: (call: FakeCall) => boolean, answer: FaultAnswer | ((call: FakeCall) => FaultAnswer), times = 1): void {
    this.faults.push({ when, answer: typeof answer === 'function' ? answer : () => answer, times });
  }

  /** The server already has a file with this sha (instant upload). */
  knowSha(sha: string): void {
    this.finishedShas.add(sha);
  }

  hold(): void {
    this.holding = true;
  }
  release(): void {
    this.holding = false;
    const held = this.held;
    this.held = [];
    for (const go of held) go();
  }

  /** Server-side state of a session, for assertions. */
  session(id: string): Readonly<ServerSession> | undefined {
    return this.sessions.get(id);
  }
  /** Forgets a session, as a server that expired it. */
  dropSession(id: string): void {
    this.sessions.delete(id);
  }

  slices(): FakeCall[] {
    return this.calls.filter((c) => c.op === 'slice');
  }
  creates(): FakeCall[] {
    return this.calls.filter((c) => c.op === 'create');
  }

  create(req: CreateRequest): Promise<CreateResult> {
    const call: FakeCall = {
      op: 'create', name: req.name, signature: req.signature, session: req.session, sha: req.sha,
      size: req.filesize, metadata: req.metadata,
    };
    return this.handle(call, req.signal, () => {
      const path = `${req.target.dir}/${req.name}`;
      if (this.finishedShas.has(req.sha)) return { kind: 'done', result: resultFor(path) };
      let s: ServerSession | undefined;
      if (req.session) {
        s = this.sessions.get(req.session);
        if (!s) throw serverError(-95, ErrorAction.RestartSession, 'ERROR_PROXY_NO_SESSION');
        if (s.done) return { kind: 'done', result: resultFor(path) };
      } else {
        s = { id: `session-${this.nextSession++}`, path, sha: req.sha, size: req.filesize, sliceSize: this.sliceSize, received: [], done: false };
        this.sessions.set(s.id, s);
        if (req.filesize === 0) {
          s.done = true;
          this.finishedShas.add(req.sha);
          return { kind: 'done', result: resultFor(path) };
        }
      }
      const first = s.received[0];
      const offset = first && first[0] === 0 ? first[1] : 0;
      return { kind: 'continue', session: s.id, offset, sliceSize: s.sliceSize };
    });
  }

  sendSlice(req: SliceRequest): Promise<SliceResult> {
    const call: FakeCall = {
      op: 'slice', name: req.name, signature: req.signature, session: req.session, sha: req.sha,
      size: req.body.size, offset: req.offset,
    };
    return this.handle(call, req.signal, (loseDone) => {
      const s = this.sessions.get(req.session);
      if (!s) throw serverError(-95, ErrorAction.RestartSession, 'ERROR_PROXY_NO_SESSION');
      const expected = Math.min(s.sliceSize, s.size - req.offset);
      if (req.offset % s.sliceSize !== 0 || req.body.size !== expected) {
        this.violations.push(`slice at ${req.offset} of ${req.body.size} bytes (slice size ${s.sliceSize})`);
        throw serverError(-5999, ErrorAction.Fatal, 'bad slice');
      }
      s.received = addRange(s.received, [req.offset, req.offset + req.body.size]);
      if (totalBytes(s.received) === s.size && !s.done) {
        s.done = true;
        this.finishedShas.add(s.sha);
        if (!loseDone) return { kind: 'done', session: s.id, offset: req.offset, result: resultFor(s.path) };
      }
      return { kind: 'ack', session: s.id, offset: req.offset };
    });
  }

  private async handle<T>(call: FakeCall, signal: AbortSignal | undefined, answer: (loseDone: boolean) => T): Promise<T> {
    this.calls.push(call);
    this.inFlight++;
    call.inFlight = this.inFlight;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const slice = call.op === 'slice';
    if (slice) this.maxSlicesInFlight = Math.max(this.maxSlicesInFlight, ++this.slicesInFlight);
    try {
      await this.wait(signal);
      const i = this.faults.findIndex((f) => f.times > 0 && f.when(call));
      let loseDone = false;
      if (i >= 0) {
        const fault = this.faults[i]!;
        fault.times--;
        const a = fault.answer(call);
        if (a === 'lose-done') loseDone = true;
        else throw a;
      }
      if (!this.acceptSignature(call.signature)) {
        throw serverError(-97, ErrorAction.RenewSignature, 'ERROR_PROXY_SIGN_ILLEGAL');
      }
      this.onAnswer?.(call);
      return answer(loseDone);
    } finally {
      this.inFlight--;
      if (slice) this.slicesInFlight--;
    }
  }

  /** A real turn of the event loop (so requests overlap), or until release() when holding. */
  private wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortedError());
      const onAbort = (): void => {
        this.held = this.held.filter((g) => g !== go);
        reject(abortedError());
      };
      const go = (): void => {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) reject(abortedError());
        else resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.holding) this.held.push(go);
      else setImmediate(go);
    });
  }
}

function resultFor(path: string): UploadResult {
  return { accessUrl: `https://fake.example/${path}`, url: `https://fake.example/play/${path}`, resourcePath: `/${path}`, instant: false };
}
