/** Injection token of the validated `AppConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');
/** Injection token of the per-key source map (`default`, `file:…`, `env:…`). */
export const CONFIG_SOURCES = Symbol('CONFIG_SOURCES');
