import { ColumnType, Generated } from 'kysely';

/** The `users` table. `email` is stored trimmed and lower-cased (the service normalises it). */
export interface UsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  /**
   * Whether the address was proven by a link sent to it. SQLite reads it back as 0 or 1; write it as
   * ``sql`true` `` / ``sql`false` ``, since better-sqlite3 binds no JavaScript booleans.
   */
  email_verified: ColumnType<boolean | number, boolean | undefined, boolean>;
  /** PostgreSQL returns a `Date`, SQLite the `CURRENT_TIMESTAMP` text; set by the database only. */
  created_at: ColumnType<Date | string, never, never>;
}

/**
 * One row per sign-in (`src/auth/session-records.*`): a session is signed in while its row has no
 * `ended_at`. Times are milliseconds since the epoch; PostgreSQL's `bigint` comes back as text, so the
 * repository reads them through `Number`.
 */
export interface UserSessionsTable {
  id: string;
  user_id: number;
  created_at: ColumnType<number | string, number, never>;
  last_seen_at: ColumnType<number | string, number, number>;
  ended_at: ColumnType<number | string | null, never, number>;
  /** The client address of the last request seen, as the throttle counts it (behind `TRUST_PROXY`). */
  ip: string;
  /** The address's /24 (IPv4) or /48 (IPv6): with `device`, what "a new device" is compared on. */
  network: string;
  /** A device name read from `User-Agent` ("Firefox on Linux"). */
  device: string;
}

/**
 * A user's TOTP (`src/two-factor`): on once `confirmed_at` is set. `secret` is the AES-256-GCM ciphertext of
 * the shared secret; `last_used_step` the last 30-second step accepted (a code is never accepted twice).
 * Times are milliseconds since the epoch; PostgreSQL's `bigint` comes back as text (read through `Number`).
 */
export interface UserTotpTable {
  user_id: number;
  secret: string;
  confirmed_at: ColumnType<number | string | null, number | null, number | null>;
  last_used_step: ColumnType<number | string | null, number | null, number | null>;
}

/** A user's recovery codes, each a keyed hash of the code, usable once (`used_at`). */
export interface RecoveryCodesTable {
  user_id: number;
  hash: string;
  used_at: ColumnType<number | string | null, never, number>;
}

/**
 * One passkey (`src/passkeys`): `id` is the credential id (base64url), `public_key` its COSE key
 * (base64url), `transports` a JSON array. Times are milliseconds since the epoch, read through `Number`.
 */
export interface PasskeysTable {
  id: string;
  user_id: number;
  /** The WebAuthn user handle (base64url) the credential was made for: one per user, random. */
  user_handle: string;
  public_key: string;
  counter: ColumnType<number | string, number, number>;
  transports: string;
  /** `singleDevice` or `multiDevice` (synced). */
  device_type: string;
  /** 1 when the credential is backed up (synced), else 0: an integer, which both databases bind. */
  backed_up: number;
  name: string;
  created_at: ColumnType<number | string, number, never>;
  last_used_at: ColumnType<number | string | null, never, number>;
}

/** WebAuthn challenges already answered, until they expire: a challenge is answered once, whatever the cookie. */
export interface PasskeyChallengesTable {
  challenge: string;
  expires_at: ColumnType<number | string, number, never>;
}

/** Every table the app owns: one schema for SQLite and PostgreSQL (see `migrations.ts`). */
export interface DatabaseSchema {
  users: UsersTable;
  user_sessions: UserSessionsTable;
  user_totp: UserTotpTable;
  recovery_codes: RecoveryCodesTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
}
