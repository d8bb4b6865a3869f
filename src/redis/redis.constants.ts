/** Injection token of the shared node-redis client: a `RedisClient`, or `null` when `REDIS_URL` is unset. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
