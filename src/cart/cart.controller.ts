import { Controller, Delete, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiNoContentResponse, ApiOperation } from '@nestjs/swagger';
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
import { ErrorResponse, JsonResponse } from '../docs/openapi.decorators';
import { CART_MAX_ITEMS, CartService } from './cart.service';
import { Public } from '../auth/public.decorator';

export const AddItemSchema = body({ item: textField('item', 100) });
type AddItemDto = z.output<typeof AddItemSchema>;

/** `{"items":[…]}`: the cart, oldest item first. */
export const CartBodySchema = z.object({ items: z.array(z.string()) });
/** `{"items":[…],"count":n}`: the cart after an item was added. */
export const CartAddedBodySchema = CartBodySchema.extend({ count: z.int().positive() });

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
  @ApiOperation({ summary: 'The cart (signed in or not)' })
  @JsonResponse(200, CartBodySchema, 'The items in the session cart')
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
  @ApiOperation({ summary: 'Add an item to the cart' })
  @JsonResponse(201, CartAddedBodySchema, 'Added')
  @ErrorResponse(409, `The cart is full (${CART_MAX_ITEMS} items)`)
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
  @ApiOperation({ summary: 'Empty the cart' })
  @ApiNoContentResponse({ description: 'The cart is empty' })
  clear(@CurrentSession() session: CurrentSession): void {
    this.cart.clear(session);
  }

  /** The form spelling of `DELETE /cart` (HTML forms cannot send DELETE). */
  @Post('clear')
  @ApiExcludeEndpoint() // the form spelling of DELETE /cart
  clearForm(
    @CurrentSession() session: CurrentSession,
    @Res({ passthrough: true }) res: unknown,
  ): string {
    this.cart.clear(session);
    return this.respond.redirect(res, '/cart');
  }
}
