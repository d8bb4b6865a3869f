/** `POST /register` refuses shorter passwords with 400; `npm run user:create` does too. */
export const PASSWORD_MIN_LENGTH = 8;

/** The account seeded in development and test; production never seeds. */
export const SEED_USER = { email: 'test@example.com', password: 'password' } as const;
