import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { WebModule } from '../common/web.module';
import { CsrfModule } from '../csrf/csrf.module';
import { CartController } from './cart.controller';
import { CartService } from './cart.service';

@Module({
  imports: [AuthModule, WebModule, CsrfModule],
  controllers: [CartController],
  providers: [CartService],
  exports: [CartService],
})
export class CartModule {}
