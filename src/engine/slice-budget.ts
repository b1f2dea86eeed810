// The page's budget of slices in flight, shared by every file that is sending (of every queue, so of
// every <vod-uploader> on the page): a browser opens at most that many HTTP/1.1 connections per host,
// and requests beyond them only wait in its queue while their timeouts run. Each sending file gets
// an equal share; a slot a file gives back goes first to a file below its share.

import { MAX_SLICES_IN_FLIGHT } from './options.js';

export interface BudgetMember {
  /** Takes one slot if this file is below its share and the page below the total. */
  take(): boolean;
  give(): void;
  /** The file stopped sending: its share goes to the others. */
  leave(): void;
}

export class SliceBudget {
  #used = 0;
  readonly #members = new Set<{ held: number; wake: () => void }>();

  constructor(readonly total = MAX_SLICES_IN_FLIGHT) {}

  /** Slots in use now (tests). */
  get inUse(): number {
    return this.#used;
  }

  /** `wake` is called when a slot may have become free for this member. */
  join(wake: () => void): BudgetMember {
    const self = { held: 0, wake };
    this.#members.add(self);
    const share = (): number => Math.max(1, Math.floor(this.total / this.#members.size));
    return {
      take: () => {
        if (!this.#members.has(self) || self.held >= share() || this.#used >= this.total) return false;
        self.held++;
        this.#used++;
        return true;
      },
      give: () => {
        if (self.held === 0) return;
        self.held--;
        this.#used--;
        this.#wakeOthers(self);
      },
      leave: () => {
        if (!this.#members.delete(self)) return;
        this.#used -= self.held;
        self.held = 0;
        this.#wakeOthers(self);
      },
    };
  }

  #wakeOthers(giver: { held: number }): void {
    for (const m of [...this.#members]) if (m !== giver) m.wake();
  }
}

/** The one budget of this page (module instance), unless a test hands the queue its own. */
export const pageSliceBudget = new SliceBudget();
