import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CartModule } from '../cart/cart.module';
import { WebModule } from '../common/web.module';
import { CsrfModule } from '../csrf/csrf.module';
import { PagesController } from './pages.controller';

@Module({
  imports: [AuthModule, CartModule, WebModule, CsrfModule],
  controllers: [PagesController],
})
export class PagesModule {}
