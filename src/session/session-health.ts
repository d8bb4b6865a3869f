import { Inject, Injectable } from '@nestjs/common';
import { SESSION_BACKEND } from './backends/session-backend';
import type { SessionBackend } from './backends/session-backend';

/** Readiness of the session store, for `/readyz`. Cookie and memory sessions are always ready. */
@Injectable()
export class SessionHealth {
  constructor(@Inject(SESSION_BACKEND) private readonly backend: SessionBackend) {}

  /** Names the store in messages (`Redis at REDIS_URL`). */
  get storeName(): string {
    return this.backend.storeName;
  }

  /** Resolves when the store answers; rejects with `SessionStoreUnavailableError` (503) when it does not. */
  ping(): Promise<void> {
    return this.backend.ping();
  }
}
