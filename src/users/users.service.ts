import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { randomBytes } from 'node:crypto';
import { PasswordHashBusyError, PasswordHasher } from './password-hasher';
import { EmailTakenError } from './users.errors';
import { Account, EmailChange, User, UserRecord, UsersRepository } from './users.repository';

/**
 * What an unknown email is verified against, so that it costs what a wrong password costs: an argon2id
 * hash, with `PasswordHasher`'s parameters, of a random password nobody kept (no record ever matches it,
 * whatever its password). Shipped precomputed, so boot hashes nothing; should the hasher's parameters
 * change, `onModuleInit` sees it and hashes a fresh one, so unknown emails never verify faster than real ones.
 */
export const PRECOMPUTED_DUMMY_HASH =
  '$argon2id$v=19$m=19456,p=1,t=2$0xiq964ISj6+ArJjgmsTQg$Zkp2d0FuFyaZr1TnODwmVXvEO5/fVRV/E3zrGzjBIck';

/**
 * How long this process keeps a user it loaded for a session before asking the database again. It bounds
 * how late another instance sees a change: a `POST /logout/all`, a password change or a deleted user is
 * refused at once on the instance that made it, and within this long on every other one.
 */
export const ACCOUNT_CACHE_MS = 1000;

/** How many stored hashes boot samples for parameter sets older than the hasher's (`PasswordHasher.measure`). */
export const HASH_SAMPLE_SIZE = 1000;

/** The largest value of PostgreSQL's `integer` (and of every id the `users` table hands out). */
const MAX_INTEGER_ID = 2 ** 31 - 1;

/** Emails are compared and stored trimmed and lower-cased: `A@X.org ` and `a@x.org` are one account. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Registration and password checks. Input shape (email format, `PASSWORD_MIN_LENGTH`) is the caller's
 * DTO's job; this class owns uniqueness, hashing and timing. Passwords are never stored or logged in clear.
 * Database outages surface as `DatabaseUnavailableError` (503) from the repository.
 */
@Injectable()
export class UsersService implements OnModuleInit {
  private readonly logger = new Logger('Users');
  private dummyHash = PRECOMPUTED_DUMMY_HASH;
  /** Users loaded by `findById`, each for `ACCOUNT_CACHE_MS`: the lookup every signed-in request makes. */
  private readonly accounts = new LRUCache<number, Account>({ max: 10_000, ttl: ACCOUNT_CACHE_MS });
  /** Session-ending writes this process made: a read that overlapped one is not cached. */
  private writes = 0;

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * Hashes a fresh dummy at boot only when the shipped one no longer matches the hasher's parameters;
   * then, in the background, measures what checking the stored hashes with older parameters costs, so
   * failed logins are padded to it from the first one on (`verifyCredentials`).
   */
  async onModuleInit(): Promise<void> {
    if (this.hasher.needsRehash(this.dummyHash)) {
      this.dummyHash = await this.hasher.hash(randomBytes(32).toString('base64'));
    }
    void this.measureOlderHashes();
  }

  private async measureOlderHashes(): Promise<void> {
    try {
      const hashes = await this.users.oldestHashes(HASH_SAMPLE_SIZE);
      await this.hasher.measure(hashes.filter((hash) => this.hasher.needsRehash(hash)));
    } catch (error) {
      // Each check still measures its own parameters: the padding learns them at the first login instead.
      this.logger.warn(`could not measure the stored password hashes: ${String(error)}`);
    }
  }

  /**
   * Creates an account. Concurrent calls are safe: the database's unique constraint picks one winner,
   * ids come from the database, and every loser gets `EmailTakenError`.
   * `verified`: the address counts as proven (the seeded development account).
   * @throws EmailTakenError (409) when the email is already registered.
   */
  async register(email: string, password: string, verified = false): Promise<User> {
    const passwordHash = await this.hasher.hash(password);
    const user = await this.users.insert(normalizeEmail(email), passwordHash, verified);
    if (user === undefined) throw new EmailTakenError();
    return user;
  }

  /**
   * The user when the password matches, else `null` (unknown email and wrong password look the same).
   * An unknown email is verified against a dummy hash with the same parameters, so both failures cost
   * one argon2 verification, and every failure is padded to the costliest parameter set in use (an
   * account whose hash predates the current parameters), so they take about the same time (no account
   * enumeration by timing).
   */
  async verifyCredentials(email: string, password: string): Promise<Account | null> {
    const record = await this.users.findByEmail(normalizeEmail(email));
    const hash = record?.passwordHash ?? this.dummyHash;
    const { matches, costMs } = await this.hasher.check(hash, password);
    if (record === undefined || !matches) {
      await this.hasher.padFailure(costMs);
      return null;
    }
    if (this.hasher.needsRehash(record.passwordHash)) await this.upgradeHash(record.id, password);
    return { id: record.id, email: record.email, emailVerified: record.emailVerified };
  }

  /**
   * Sets a new password; with `expectedHash`, only while the stored hash is still that one, so a reset link
   * or a change checked against it cannot apply twice. `markEmailVerified`: a reset link proved the address.
   * Ends no session: the caller ends them first (`SessionRecordsService`), so a failure between the two
   * leaves the user signed out under the old password, never signed in under a changed one.
   * @returns `false` when there is no such user or the hash moved on.
   */
  async changePassword(
    id: number,
    password: string,
    options: { expectedHash?: string; markEmailVerified?: boolean } = {},
  ): Promise<boolean> {
    const passwordHash = await this.hasher.hash(password);
    const write = this.users.replacePassword(id, passwordHash, {
      expectedHash: options.expectedHash,
      markVerified: options.markEmailVerified,
    });
    return this.forgetAfter(id, write);
  }

  /** The user with the password hash, uncached: for a password check or a token bound to the hash. */
  async findRecord(id: number): Promise<UserRecord | null> {
    if (!isPossibleId(id)) return null;
    return (await this.users.findRecordById(id)) ?? null;
  }

  /** The user with this address and its hash, or `null`. */
  async findRecordByEmail(email: string): Promise<UserRecord | null> {
    return (await this.users.findByEmail(normalizeEmail(email))) ?? null;
  }

  /** Whether `password` is the user's; `null` when there is no such user. Costs one argon2 verification. */
  async checkPassword(id: number, password: string): Promise<UserRecord | null | false> {
    const record = await this.findRecord(id);
    if (!record) return null;
    return (await this.hasher.verify(record.passwordHash, password)) ? record : false;
  }

  /** Marks `email` verified while it is still the user's unverified address; `false` when it no longer is. */
  async markEmailVerified(id: number, email: string): Promise<boolean> {
    return this.forgetAfter(id, this.users.markEmailVerified(id, email));
  }

  /** Moves the user from `oldEmail` (still theirs) to `newEmail`, which becomes verified. */
  async changeEmail(id: number, oldEmail: string, newEmail: string): Promise<EmailChange> {
    return this.forgetAfter(
      id,
      this.users.changeEmail(id, normalizeEmail(oldEmail), normalizeEmail(newEmail)),
    );
  }

  /**
   * Drops the cached user once `write` is done, and keeps `findById` calls that read the row before it
   * landed from caching what they read: either could otherwise serve the old generation for up to
   * `ACCOUNT_CACHE_MS` on the instance that just ended the sessions.
   */
  private async forgetAfter<T>(id: number, write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.writes++;
      this.accounts.delete(id);
    }
  }

  /** Whether `email` has an account with exactly this password; hashes nothing when it has none. */
  async hasPassword(email: string, password: string): Promise<boolean> {
    const record = await this.users.findByEmail(normalizeEmail(email));
    return record !== undefined && (await this.hasher.verify(record.passwordHash, password));
  }

  /**
   * Re-hashes a password whose stored hash has other parameters than the hasher's (made before they
   * changed), while the password is at hand: only a successful login has it. When every hashing slot is
   * busy the upgrade waits for the next login; the login itself goes on.
   */
  private async upgradeHash(id: number, password: string): Promise<void> {
    let passwordHash: string;
    try {
      passwordHash = await this.hasher.hash(password);
    } catch (error) {
      if (error instanceof PasswordHashBusyError) return;
      throw error;
    }
    await this.users.updatePasswordHash(id, passwordHash);
  }

  /**
   * The user with this id, or `null` (e.g. deleted since the session was signed in), as the database had
   * it at most `ACCOUNT_CACHE_MS` ago. An id that no `integer` column can hold is `null` too, not a
   * PostgreSQL range error.
   */
  async findById(id: number): Promise<Account | null> {
    if (!isPossibleId(id)) return null;
    const cached = this.accounts.get(id);
    if (cached) return cached;
    const writesBefore = this.writes;
    const account = await this.users.findById(id);
    if (account && this.writes === writesBefore) this.accounts.set(id, account);
    return account ?? null;
  }

  /** Registers the account unless the email exists (idempotent, also when racing another process). */
  async registerIfAbsent(email: string, password: string, verified = false): Promise<boolean> {
    if ((await this.users.findByEmail(normalizeEmail(email))) !== undefined) return false;
    try {
      await this.register(email, password, verified);
      return true;
    } catch (error) {
      if (error instanceof EmailTakenError) return false;
      throw error;
    }
  }
}

/** An id that a `users` row can have: a positive `integer` (PostgreSQL's range), not a range error. */
function isPossibleId(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= MAX_INTEGER_ID;
}
