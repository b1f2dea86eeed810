// Speed and time left for one phase (hashing or uploading), over a moving window so the number
// follows the link without jumping with every slice.

export const SPEED_WINDOW_MS = 4000;

export class SpeedMeter {
  #samples: { t: number; bytes: number }[] = [];

  constructor(private readonly windowMs = SPEED_WINDOW_MS) {}

  /** Starts over (a new phase, or after a pause: the idle time is no measure of the link). */
  reset(): void {
    this.#samples = [];
  }

  /** Records that `bytes` bytes of the phase are done at time `t` (ms). */
  sample(t: number, bytes: number): void {
    this.#samples.push({ t, bytes });
    // Keep one sample older than the window so the window is always fully covered.
    while (this.#samples.length > 2 && this.#samples[1]!.t <= t - this.windowMs) this.#samples.shift();
  }

  /** Bytes per second over the window; 0 until two samples span some time. */
  get bytesPerSecond(): number {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || !last || last.t <= first.t) return 0;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.t - first.t));
  }

  /** Seconds left for `remaining` bytes, or undefined while the speed is unknown. */
  eta(remaining: number): number | undefined {
    const bps = this.bytesPerSecond;
    if (remaining <= 0) return 0;
    return bps > 0 ? remaining / bps : undefined;
  }
}
