/** Injection token of the app's `Kysely<DatabaseSchema>` (see `DatabaseModule`). */
export const DATABASE = Symbol('DATABASE');
/** Injection token of the `DatabaseTarget` parsed from `DATABASE_URL`. */
export const DATABASE_TARGET = Symbol('DATABASE_TARGET');
