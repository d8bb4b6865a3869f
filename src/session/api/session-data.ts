/**
 * The keys an app keeps in its session, for typing only. Extend it by declaration merging, as with
 * express-session's `SessionData`:
 *
 * ```ts
 * declare module './session-data' {
 *   interface SessionData { user_id: number; cart: string[] }
 * }
 * ```
 * Then `@CurrentSession() session: CurrentSession` gives a typed `session.user_id`. Values must be JSON:
 * a `Date` comes back as its ISO string, `undefined` and functions are dropped.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SessionData {}
