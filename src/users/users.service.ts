import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { PasswordHasher } from './password-hasher';
import { EmailTakenError } from './users.errors';
import { User, UsersRepository } from './users.repository';

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
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Computes the dummy hash once at boot, so no login pays for it. */
  async onModuleInit(): Promise<void> {
    await this.getDummyHash();
  }

  /**
   * Creates an account. Concurrent calls are safe: the database's unique constraint picks one winner,
   * ids come from the database, and every loser gets `EmailTakenError`.
   * @throws EmailTakenError (409) when the email is already registered.
   */
  async register(email: string, password: string): Promise<User> {
    const passwordHash = await this.hasher.hash(password);
    const user = await this.users.insert(normalizeEmail(email), passwordHash);
    if (user === undefined) throw new EmailTakenError();
    return user;
  }

  /**
   * The user when the password matches, else `null` (unknown email and wrong password look the same).
   * An unknown email is verified against a dummy hash with the same parameters, so both failures cost
   * one argon2 verification and take about the same time (no account enumeration by timing).
   */
  async verifyCredentials(email: string, password: string): Promise<User | null> {
    const record = await this.users.findByEmail(normalizeEmail(email));
    const hash = record?.passwordHash ?? (await this.getDummyHash());
    const matches = await this.hasher.verify(hash, password);
    return record !== undefined && matches ? { id: record.id, email: record.email } : null;
  }

  /**
   * The user with this id, or `null` (e.g. deleted since the session was signed in). An id that no
   * `integer` column can hold is `null` too, not a PostgreSQL range error.
   */
  async findById(id: number): Promise<User | null> {
    if (!Number.isInteger(id) || id < 1 || id > MAX_INTEGER_ID) return null;
    return (await this.users.findById(id)) ?? null;
  }

  /** Registers the account unless the email exists (idempotent, also when racing another process). */
  async registerIfAbsent(email: string, password: string): Promise<boolean> {
    if ((await this.users.findByEmail(normalizeEmail(email))) !== undefined) return false;
    try {
      await this.register(email, password);
      return true;
    } catch (error) {
      if (error instanceof EmailTakenError) return false;
      throw error;
    }
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(randomBytes(32).toString('base64'));
    return this.dummyHash;
  }
}
