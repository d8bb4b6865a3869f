import { SessionBackend } from './session-backend';
import { SessionUnavailableError } from '../api/session.errors';
import { newSessionState, SessionOperations, SessionState } from '../api/session-state';

const readOnlyOperations: SessionOperations = {
  forget: () => Promise.reject(new SessionUnavailableError()),
  saveNow: () => Promise.reject(new SessionUnavailableError()),
  reload: () => Promise.resolve(),
};

/**
 * The backend of an app without `SECRET_KEY` (only tests build one), like Flask's `NullSession`: every
 * request sees an empty read-only session and every write throws `SessionUnavailableError`.
 */
export class NullSessionBackend implements SessionBackend {
  readonly storeName = 'none (no SECRET_KEY)';

  open(cookieValue: string | undefined): Promise<SessionState> {
    const hadCookie = cookieValue !== undefined;
    return Promise.resolve(newSessionState(readOnlyOperations, { readOnly: true, hadCookie }));
  }

  cookieValue(): string {
    throw new SessionUnavailableError();
  }

  persist(): Promise<void> {
    return Promise.reject(new SessionUnavailableError());
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
