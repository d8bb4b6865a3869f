import { SessionBusyError } from '../../api/session.errors';

/**
 * Per-session mutual exclusion inside one process: requests that may write one session run one after the
 * other, so parallel read-modify-write requests (fifty `POST /cart/items` with one cookie) lose nothing.
 * A promise chain per key, dropped when its last holder releases; no polling. A waiter whose deadline
 * passes, or whose `signal` aborts (its client went away), gets `SessionBusyError` and gives its turn back
 * the moment it comes, so it never holds the key. Across processes, Redis sessions add `RedisWriteLocks`.
 */
export class ProcessWriteLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for the key's earlier holders until `deadline` (ms since the epoch); resolves to the release. */
  async acquire(key: string, deadline: number, signal?: AbortSignal): Promise<() => void> {
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
    if (!(await turnComes(previous, deadline, signal))) {
      void previous.then(release);
      throw new SessionBusyError();
    }
    return release;
  }

  get size(): number {
    return this.tails.size;
  }
}

/** Whether `previous` settles before `deadline` and before `signal` aborts; no timer or listener outlives it. */
function turnComes(
  previous: Promise<void>,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const settle = (came: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', gone);
      resolve(came);
    };
    const gone = () => settle(false);
    const timer = setTimeout(gone, Math.max(0, deadline - Date.now()));
    signal?.addEventListener('abort', gone, { once: true });
    void previous.then(() => settle(true));
  });
}
