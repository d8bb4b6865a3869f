import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { asciiLocation } from './safe-next';

/**
 * Sets status and headers on the platform's response through Nest's adapter, so controllers stay
 * platform-neutral. Use with `@Res({ passthrough: true }) res: unknown` and return the body: Nest still
 * sends it, after the session is committed.
 */
@Injectable()
export class Responder {
  constructor(private readonly host: HttpAdapterHost) {}

  status(res: unknown, code: number): void {
    this.host.httpAdapter.status(res, code);
  }

  header(res: unknown, name: string, value: string): void {
    this.host.httpAdapter.setHeader(res, name, value);
  }

  /**
   * A 302 (the status the routes document; 303 would also do after a form post) with an empty body. The
   * `Location` is sent as printable ASCII whatever it holds.
   */
  redirect(res: unknown, location: string): string {
    this.status(res, 302);
    this.header(res, 'Location', asciiLocation(location));
    return '';
  }

  /**
   * An HTML page. A page that used a signed-in session is never cached: the session layer sends
   * `Cache-Control: no-store` on every such response, JSON and HTML alike; `private` asks for it on other
   * pages that must not be kept either (one that carries a mailed link's token).
   */
  page(res: unknown, html: string, options: { status?: number; private?: boolean } = {}): string {
    this.status(res, options.status ?? 200);
    this.header(res, 'Content-Type', 'text/html; charset=utf-8');
    if (options.private) this.noStore(res);
    return html;
  }

  /** `Cache-Control: no-store`: the response must not be kept by the browser or a proxy. */
  noStore(res: unknown): void {
    this.header(res, 'Cache-Control', 'no-store');
  }
}
