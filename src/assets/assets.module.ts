import { Module } from '@nestjs/common';
import { WebModule } from '../common/web.module';
import { AssetsController } from './assets.controller';

@Module({
  imports: [WebModule],
  controllers: [AssetsController],
})
export class AssetsModule {}
