import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { WebModule } from '../common/web.module';
import { CartController } from './cart.controller';
import { CartService } from './cart.service';

@Module({
  imports: [AuthModule, WebModule],
  controllers: [CartController],
  providers: [CartService],
})
export class CartModule {}
