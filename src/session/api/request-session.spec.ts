import { createSession, RequestSession } from './request-session';
import { SessionStoreUnavailableError, SessionUnavailableError } from './session.errors';
import { newSessionState, SessionOperations, SessionState } from './session-state';

const operations: SessionOperations = {
  forget: jest.fn(() => Promise.resolve()),
  saveNow: jest.fn(() => Promise.resolve()),
  reload: jest.fn(() => Promise.resolve()),
};

/** The state the session wraps, by the session it was made for. */
const stateOf = new WeakMap<object, SessionState>();

function makeSut(init = {}): RequestSession & Record<string, unknown> {
  const state = newSessionState(operations, init);
  const sut = createSession(state) as RequestSession & Record<string, unknown>;
  stateOf.set(sut, state);
  return sut;
}

describe(RequestSession.name, () => {
  it('marks modified on a top-level set or delete, also through properties', () => {
    const sut = makeSut();
    expect(sut.modified).toBe(false);
    sut.user_id = 1;
    expect(sut.modified).toBe(true);
    expect(sut.get('user_id')).toBe(1);
    sut.modified = false;
    delete sut.user_id;
    expect(sut.modified).toBe(true);
    expect(sut.has('user_id')).toBe(false);
  });

  it('does not mark modified on a nested change (Flask rule)', () => {
    const sut = makeSut();
    sut.set('cart', []);
    sut.modified = false;
    (sut.cart as string[]).push('x');
    expect(sut.modified).toBe(false);
  });

  it('lists values as own keys, so spread and for-in see the data only', () => {
    const sut = makeSut();
    sut.set('a', 1).set('b', 2);
    expect({ ...sut }).toEqual({ a: 1, b: 2 });
    expect(Object.keys(sut)).toEqual(['a', 'b']);
    expect('a' in sut).toBe(true);
  });

  it('records access, for Vary: Cookie', () => {
    const sut = makeSut();
    expect(stateOf.get(sut)?.accessed).toBe(false);
    void sut.anything;
    expect(stateOf.get(sut)?.accessed).toBe(true);
  });

  it('marks modified when permanent changes', () => {
    const sut = makeSut();
    sut.permanent = true;
    expect(sut.modified).toBe(true);
  });

  it('refuses keys that reach prototypes', () => {
    expect(() => makeSut().set('__proto__', {})).toThrow(TypeError);
    expect(() => makeSut().set('constructor', {})).toThrow(TypeError);
  });

  it('regenerate() drops the data, gives a new id, and calls back like express-session', async () => {
    const sut = makeSut({ isNew: false });
    sut.set('a', 1);
    const oldId = sut.id;
    await new Promise<void>(
      (resolve, reject) =>
        void sut.regenerate((err) => (err ? reject(new Error('regenerate failed')) : resolve())),
    );
    expect(sut.id).not.toBe(oldId);
    expect(sut.keys()).toEqual([]);
    expect(sut.new).toBe(true);
    expect(stateOf.get(sut)?.rotated).toBe(true);
    expect(operations.forget).toHaveBeenCalled();
  });

  it('save() marks the session modified and writes it through the backend', async () => {
    const sut = makeSut();
    await sut.save();
    expect(sut.modified).toBe(true);
    expect(operations.saveNow).toHaveBeenCalled();
  });

  it('touch() asks for a refreshed cookie without counting as a change', () => {
    const sut = makeSut();
    sut.touch();
    expect(stateOf.get(sut)?.touched).toBe(true);
    expect(sut.modified).toBe(false);
  });

  it('without a secret key, reads are empty and every write throws the Flask message', () => {
    const sut = makeSut({ readOnly: true });
    expect(sut.get('missing')).toBeUndefined();
    expect(sut.keys()).toEqual([]);
    const message = 'The session is unavailable because no secret key was set';
    expect(() => sut.set('foo', 42)).toThrow(SessionUnavailableError);
    expect(() => (sut.foo = 42)).toThrow(message);
    expect(() => sut.delete('foo')).toThrow(message);
    expect(() => sut.clear()).toThrow(message);
    expect(() => (sut.permanent = true)).toThrow(message);
    expect(() => sut.regenerate()).toThrow(message);
  });

  it('when the store was unreachable, any use throws the 503 error', () => {
    const sut = makeSut({ unavailable: new SessionStoreUnavailableError('Redis at REDIS_URL') });
    expect(() => sut.get('a')).toThrow(SessionStoreUnavailableError);
    expect(() => sut.user_id).toThrow('Redis');
  });
});
