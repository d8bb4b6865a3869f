import { Injectable } from '@nestjs/common';
import type { CurrentSession } from '../session';

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
