import { isForbiddenKey } from '../../common/forbidden-keys';
import { SessionUnavailableError } from './session.errors';
import { resetSessionState, SessionState } from './session-state';

const STATE = Symbol('sessionState');

type Callback = (err?: unknown) => void;

/**
 * One request's session: dictionary-like access plus Flask's `permanent`, `modified`, `new` and
 * express-session's `id`, `regenerate`, `destroy`, `save`, `reload`, `touch`, on every store, so middleware
 * written for express-session (Passport 0.6+) works unchanged. Wrapped in a proxy (`createSession`) so that
 * `session.user_id` and `req.session.passport` read and write the values like express-session's object.
 *
 * Rules (Flask's): a top-level set or delete marks `modified`; a nested change (`cart.push(x)`) does not,
 * so set `session.modified = true` after one. Values must be JSON.
 */
export class RequestSession {
  declare readonly [STATE]: SessionState;

  constructor(state: SessionState) {
    Object.defineProperty(this, STATE, { value: state, configurable: true, enumerable: false });
  }

  get id(): string {
    return this.use().id;
  }

  /** Flask's `new`: the request carried no valid session. */
  get new(): boolean {
    return this.use().isNew;
  }

  get modified(): boolean {
    return this.use().modified;
  }

  set modified(value: boolean) {
    this.write().modified = value;
  }

  /** `true`: the cookie lasts `PERMANENT_SESSION_LIFETIME`; `false`: until the browser closes. */
  get permanent(): boolean {
    return this.use().permanent;
  }

  set permanent(value: boolean) {
    const state = this.write();
    state.permanent = value;
    state.modified = true;
  }

  get<T = unknown>(key: string): T | undefined {
    return this.use().values[key] as T | undefined;
  }

  set(key: string, value: unknown): this {
    if (isForbiddenKey(key)) throw new TypeError(`"${key}" cannot be a session key`);
    const state = this.write();
    state.values[key] = value;
    state.modified = true;
    return this;
  }

  delete(key: string): boolean {
    const state = this.write();
    if (!(key in state.values)) return false;
    delete state.values[key];
    state.modified = true;
    return true;
  }

  has(key: string): boolean {
    return key in this.use().values;
  }

  /**
   * `get` that does not count as using the session (no `Vary: Cookie`), and `undefined` when the store is
   * down: for code whose response depends on the value only when it acts on it (a guard that ends a
   * revoked session does so through `destroy()`, which counts).
   */
  peek<T = unknown>(key: string): T | undefined {
    const state = this[STATE];
    return state.unavailable ? undefined : (state.values[key] as T | undefined);
  }

  keys(): string[] {
    return Object.keys(this.use().values);
  }

  get size(): number {
    return this.keys().length;
  }

  /** Removes every value; a session that had a cookie then gets it expired. */
  clear(): void {
    const state = this.write();
    for (const key of Object.keys(state.values)) delete state.values[key];
    state.modified = true;
  }

  /** A plain copy of the values. */
  toJSON(): Record<string, unknown> {
    return { ...this.use().values };
  }

  /** Drops the data and gives a new id (stores) or a fresh cookie (cookie store): no session fixation. */
  regenerate(callback?: Callback): Promise<void> {
    const state = this.write();
    const operation = state.operations.forget(state).then(() => resetSessionState(state));
    return settle(operation, callback);
  }

  /** Same as `regenerate` here: the old data is gone and the client's cookie is replaced or expired. */
  destroy(callback?: Callback): Promise<void> {
    return this.regenerate(callback);
  }

  /** Writes the session now (stores); the cookie store sends it with this response. */
  save(callback?: Callback): Promise<void> {
    const state = this.write();
    state.modified = true;
    return settle(state.operations.saveNow(state), callback);
  }

  /** Reads the stored data again (stores); nothing for the cookie store. */
  reload(callback?: Callback): Promise<void> {
    const state = this.use();
    return settle(state.operations.reload(state), callback);
  }

  /** Re-sends the cookie and extends the stored lifetime with this response, without counting as a change. */
  touch(): this {
    this.use().touched = true;
    return this;
  }

  private use(): SessionState {
    const state = this[STATE];
    if (state.unavailable) throw state.unavailable;
    state.accessed = true;
    return state;
  }

  private write(): SessionState {
    const state = this.use();
    if (state.readOnly) throw new SessionUnavailableError();
    return state;
  }
}

/** Runs an operation for a caller that passes a callback (express-session style) or awaits the promise. */
function settle(operation: Promise<void>, callback?: Callback): Promise<void> {
  if (!callback) return operation;
  return operation.then(
    () => callback(),
    (err: unknown) => callback(err),
  );
}

const handler: ProxyHandler<RequestSession> = {
  get: (target, prop, receiver): unknown =>
    typeof prop === 'symbol' || prop in target
      ? Reflect.get(target, prop, receiver)
      : target.get(prop),
  set: (target, prop, value, receiver) => {
    if (typeof prop === 'symbol' || prop in target)
      return Reflect.set(target, prop, value, receiver);
    target.set(prop, value);
    return true;
  },
  deleteProperty: (target, prop) => {
    if (typeof prop === 'symbol' || prop in target) return Reflect.deleteProperty(target, prop);
    target.delete(prop);
    return true;
  },
  has: (target, prop) => prop in target || (typeof prop === 'string' && target.has(prop)),
  ownKeys: (target) => target.keys(),
  getOwnPropertyDescriptor: (target, prop) =>
    typeof prop === 'string' && target.has(prop)
      ? { value: target.get<unknown>(prop), writable: true, enumerable: true, configurable: true }
      : Reflect.getOwnPropertyDescriptor(target, prop),
  defineProperty: (target, prop, descriptor) => {
    if (typeof prop === 'symbol' || !('value' in descriptor)) return false;
    target.set(prop, descriptor.value as unknown);
    return true;
  },
};

/** The object handlers see as `req.session` / `@CurrentSession()`: values are also properties. */
export function createSession(state: SessionState): RequestSession {
  return new Proxy(new RequestSession(state), handler);
}
