import { withTimeout } from '../../../common/with-timeout';
import { SessionBusyError } from '../../api/session.errors';

/**
 * Per-session mutual exclusion inside one process: requests that may write one session run one after the
 * other, so parallel read-modify-write requests (fifty `POST /cart/items` with one cookie) lose nothing.
 * A promise chain per key, dropped when its last holder releases; no polling. A waiter whose deadline
 * passes gets `SessionBusyError` and gives its turn back the moment it comes. Across processes, Redis
 * sessions add `RedisWriteLocks`.
 */
export class ProcessWriteLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for the key's earlier holders until `deadline` (ms since the epoch); resolves to the release. */
  async acquire(key: string, deadline: number): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let open!: () => void;
    const held = new Promise<void>((resolve) => (open = resolve));
    const tail = previous.then(() => held);
    this.tails.set(key, tail);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      open();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    try {
      await withTimeout(previous, Math.max(0, deadline - Date.now()));
    } catch {
      void previous.then(release);
      throw new SessionBusyError();
    }
    return release;
  }

  get size(): number {
    return this.tails.size;
  }
}
