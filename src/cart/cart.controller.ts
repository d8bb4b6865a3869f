import { Controller, Delete, Get, HttpCode, Post, Res } from '@nestjs/common';
import { z } from 'zod';
import { AuthService } from '../auth/auth.service';
import { CsrfService } from '../csrf/csrf.service';
import type { FormHttp } from '../csrf/csrf.service';
import { NodeHttp } from '../common/node-http.decorator';
import { WantsJson } from '../common/negotiation';
import { Responder } from '../common/responder';
import { body, textField, ValidBody } from '../common/validation';
import { CurrentSession } from '../session';
import { cartPage } from '../views/pages';
import { CartService } from './cart.service';
import { Public } from '../auth/public.decorator';

export const AddItemSchema = body({ item: textField('item', 100) });
type AddItemDto = z.output<typeof AddItemSchema>;

/** The cart routes; the HTML forms post to `/cart/items` and `/cart/clear`. */
@Public()
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
    @CurrentSession() session: CurrentSession,
    @WantsJson() json: boolean,
    @NodeHttp() http: FormHttp,
    @Res({ passthrough: true }) res: unknown,
  ) {
    const items = this.cart.items(session);
    if (json) return { items };
    const user = await this.auth.currentUser(session);
    return this.respond.page(res, cartPage(user, items, this.csrf.tokenFor(http)));
  }

  @Post('items')
  @HttpCode(201)
  add(
    @CurrentSession() session: CurrentSession,
    @ValidBody(AddItemSchema) dto: AddItemDto,
    @WantsJson() json: boolean,
    @Res({ passthrough: true }) res: unknown,
  ) {
    const items = this.cart.add(session, dto.item);
    return json ? { items, count: items.length } : this.respond.redirect(res, '/cart');
  }

  @Delete()
  @HttpCode(204)
  clear(@CurrentSession() session: CurrentSession): void {
    this.cart.clear(session);
  }

  /** The form spelling of `DELETE /cart` (HTML forms cannot send DELETE). */
  @Post('clear')
  clearForm(
    @CurrentSession() session: CurrentSession,
    @Res({ passthrough: true }) res: unknown,
  ): string {
    this.cart.clear(session);
    return this.respond.redirect(res, '/cart');
  }
}
