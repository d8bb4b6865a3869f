/** What an error may carry beyond its status and message; `HttpExceptionFilter` honours both. */

/** An error that also sets response headers (`Retry-After` on 429 and 503). */
export interface WithHeaders {
  headers: Record<string, string>;
}

/** An error that sends HTML clients asking for a page (GET, HEAD) elsewhere (`/login?next=…`). */
export interface WithHtmlRedirect {
  htmlRedirect(path: string): string;
  /** Redirect form posts (POST) too, not only page requests. */
  redirectsPosts?: boolean;
}
