import { ConflictException, Injectable } from '@nestjs/common';
import type { CurrentSession } from '../session';

/**
 * The most items one cart holds: 100 items of at most 100 characters keep a session well under
 * `MAX_SESSION_BYTES` (64 KiB) and a cookie-store session near `MAX_COOKIE_SIZE`'s reach, whatever a
 * client sends.
 */
export const CART_MAX_ITEMS = 100;

/** The cart already holds `CART_MAX_ITEMS`: 409, and nothing was added. */
export class CartFullError extends ConflictException {
  constructor() {
    super(`the cart is full (${CART_MAX_ITEMS} items): remove some first`);
  }
}

declare module '../session' {
  interface SessionData {
    cart: string[];
  }
}

/** The session cart: a list of item names, kept in the session (signed in or not). */
@Injectable()
export class CartService {
  items(session: CurrentSession): string[] {
    const cart = session.cart;
    return Array.isArray(cart) ? cart : [];
  }

  add(session: CurrentSession, item: string): string[] {
    if (this.items(session).length >= CART_MAX_ITEMS) throw new CartFullError();
    if (!Array.isArray(session.cart)) session.cart = [];
    session.cart.push(item);
    // push() changes the list inside the session, not a top-level key, so the session cannot see it:
    // without this flag the item would be lost at the end of the request (Flask's rule, kept here).
    session.modified = true;
    return session.cart;
  }

  clear(session: CurrentSession): void {
    session.delete('cart');
  }
}
