import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { HttpModule } from '../http/http.module';
import { CartController } from './cart.controller';
import { CartService } from './cart.service';

@Module({
  imports: [AuthModule, HttpModule],
  controllers: [CartController],
  providers: [CartService],
})
export class CartModule {}
