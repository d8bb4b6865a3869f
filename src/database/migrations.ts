import { Kysely, sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import { DatabaseTarget } from './database-url';

type Dialect = DatabaseTarget['kind'];

/**
 * The schema's history, defined in code so that `dist/` needs no migration files. Append new entries;
 * never edit one that has shipped. Names sort in order of application. Only the primary key differs by
 * dialect: an identity column in PostgreSQL, SQLite's `INTEGER PRIMARY KEY` rowid alias.
 */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_create_users': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('users')
          .addColumn('id', 'integer', (col) =>
            dialect === 'postgres'
              ? col.primaryKey().generatedAlwaysAsIdentity()
              : col.primaryKey().autoIncrement(),
          )
          .addColumn('email', 'text', (col) => col.notNull())
          .addColumn('password_hash', 'text', (col) => col.notNull())
          .addColumn('created_at', 'timestamptz', (col) =>
            col.notNull().defaultTo(sql`CURRENT_TIMESTAMP`),
          )
          .addUniqueConstraint('users_email_key', ['email'])
          .execute();
      },
      async down(db: Kysely<unknown>): Promise<void> {
        await db.schema.dropTable('users').execute();
      },
    },
    '0002_users_session_generation': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .alterTable('users')
          .addColumn('session_generation', 'integer', (col) => col.notNull().defaultTo(0))
          .execute();
      },
      async down(db: Kysely<unknown>): Promise<void> {
        await db.schema.alterTable('users').dropColumn('session_generation').execute();
      },
    },
    '0003_users_email_verified': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .alterTable('users')
          .addColumn('email_verified', 'boolean', (col) => col.notNull().defaultTo(false))
          .execute();
      },
      async down(db: Kysely<unknown>): Promise<void> {
        await db.schema.alterTable('users').dropColumn('email_verified').execute();
      },
    },
    // One row per sign-in; ending rows replaces the session generation (sessions signed in before it
    // carry no record and sign in again once).
    '0004_user_sessions': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('user_sessions')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('user_id', 'integer', (col) =>
            col.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
          .addColumn('ended_at', 'bigint')
          .addColumn('ip', 'text', (col) => col.notNull())
          .addColumn('network', 'text', (col) => col.notNull())
          .addColumn('device', 'text', (col) => col.notNull())
          .execute();
        await db.schema
          .createIndex('user_sessions_user_id')
          .on('user_sessions')
          .columns(['user_id', 'ended_at'])
          .execute();
        await db.schema.alterTable('users').dropColumn('session_generation').execute();
      },
      async down(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .alterTable('users')
          .addColumn('session_generation', 'integer', (col) => col.notNull().defaultTo(0))
          .execute();
        await db.schema.dropTable('user_sessions').execute();
      },
    },
    // TOTP (secret encrypted, `two-factor.cipher.ts`) and its recovery codes (keyed hashes), per user.
    '0005_two_factor': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('user_totp')
          .addColumn('user_id', 'integer', (col) =>
            col.primaryKey().references('users.id').onDelete('cascade'),
          )
          .addColumn('secret', 'text', (col) => col.notNull())
          .addColumn('confirmed_at', 'bigint')
          .addColumn('last_used_step', 'bigint')
          .execute();
        await db.schema
          .createTable('recovery_codes')
          .addColumn('user_id', 'integer', (col) =>
            col.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('hash', 'text', (col) => col.notNull())
          .addColumn('used_at', 'bigint')
          .addPrimaryKeyConstraint('recovery_codes_pkey', ['user_id', 'hash'])
          .execute();
      },
      async down(db: Kysely<unknown>): Promise<void> {
        await db.schema.dropTable('recovery_codes').execute();
        await db.schema.dropTable('user_totp').execute();
      },
    },
    // Passkeys (src/passkeys): one row per credential; and the WebAuthn challenges already answered,
    // kept until they expire so a replayed cookie cannot answer one twice.
    '0006_passkeys': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('passkeys')
          .addColumn('id', 'text', (col) => col.primaryKey())
          .addColumn('user_id', 'integer', (col) =>
            col.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('user_handle', 'text', (col) => col.notNull())
          .addColumn('public_key', 'text', (col) => col.notNull())
          .addColumn('counter', 'bigint', (col) => col.notNull())
          .addColumn('transports', 'text', (col) => col.notNull())
          .addColumn('device_type', 'text', (col) => col.notNull())
          .addColumn('backed_up', 'integer', (col) => col.notNull())
          .addColumn('name', 'text', (col) => col.notNull())
          .addColumn('created_at', 'bigint', (col) => col.notNull())
          .addColumn('last_used_at', 'bigint')
          .execute();
        await db.schema.createIndex('passkeys_user_id').on('passkeys').column('user_id').execute();
        await db.schema
          .createTable('passkey_challenges')
          .addColumn('challenge', 'text', (col) => col.primaryKey())
          .addColumn('expires_at', 'bigint', (col) => col.notNull())
          .execute();
        await db.schema
          .createIndex('passkey_challenges_expires_at')
          .on('passkey_challenges')
          .column('expires_at')
          .execute();
      },
      async down(db: Kysely<unknown>): Promise<void> {
        await db.schema.dropTable('passkey_challenges').execute();
        await db.schema.dropTable('passkeys').execute();
      },
    },
  };
}

/** Hands Kysely's `Migrator` the migrations above. */
export class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations(this.dialect));
  }
}
