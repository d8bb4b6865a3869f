import { Module } from '@nestjs/common';
import { PasskeysRepository } from './passkeys.repository';

/** The passkeys table alone, for the modules that read it without the passkey routes (the settings page). */
@Module({ providers: [PasskeysRepository], exports: [PasskeysRepository] })
export class PasskeysDataModule {}
