import { Body, Controller, Delete, Get, HttpCode, Post, Res } from '@nestjs/common';
import { z } from 'zod';
import { AuthService } from '../auth/auth.service';
import { CsrfService } from '../http/csrf.service';
import { WantsJson } from '../http/negotiation';
import { Responder } from '../http/responder';
import { textField, ZodBodyPipe } from '../http/zod-body.pipe';
import { Session } from '../session/session.decorator';
import { cartPage } from '../views/pages';
import { CartService } from './cart.service';

export const AddItemSchema = z.object({ item: textField('item', 100) });
type AddItemDto = z.output<typeof AddItemSchema>;

/** SPEC §5 cart routes; the HTML forms post to `/cart/items` and `/cart/clear`. */
@Controller('cart')
export class CartController {
  constructor(
    private readonly cart: CartService,
    private readonly auth: AuthService,
    private readonly csrf: CsrfService,
    private readonly respond: Responder,
  ) {}

  @Get()
  async list(
    @Session() session: Session,
    @WantsJson() json: boolean,
    @Res({ passthrough: true }) res: unknown,
  ) {
    const items = this.cart.items(session);
    if (json) return { items };
    const user = await this.auth.currentUser(session);
    return this.respond.page(res, cartPage(user, items, this.csrf.tokenFor(session)), {
      private: user !== null,
    });
  }

  @Post('items')
  @HttpCode(201)
  add(
    @Session() session: Session,
    @Body(new ZodBodyPipe(AddItemSchema)) dto: AddItemDto,
    @WantsJson() json: boolean,
    @Res({ passthrough: true }) res: unknown,
  ) {
    const items = this.cart.add(session, dto.item);
    return json ? { items, count: items.length } : this.respond.redirect(res, '/cart');
  }

  @Delete()
  @HttpCode(204)
  clear(@Session() session: Session): void {
    this.cart.clear(session);
  }

  /** The form spelling of `DELETE /cart` (HTML forms cannot send DELETE). */
  @Post('clear')
  clearForm(@Session() session: Session, @Res({ passthrough: true }) res: unknown): string {
    this.cart.clear(session);
    return this.respond.redirect(res, '/cart');
  }
}
