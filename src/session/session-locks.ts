/**
 * Per-session mutual exclusion inside one process: requests that may write one session run one after the
 * other, so parallel read-modify-write requests (fifty `POST /cart/items` with one cookie) lose nothing.
 * A promise chain per key, dropped when its last holder releases; no timers, no polling.
 * Across several processes this does not serialise; see the README.
 */
export class SessionLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for the key's earlier holders; resolves to the release function (safe to call twice). */
  async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let open!: () => void;
    const held = new Promise<void>((resolve) => (open = resolve));
    const tail = previous.then(() => held);
    this.tails.set(key, tail);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      open();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }

  get size(): number {
    return this.tails.size;
  }
}
