import { ConflictException } from '@nestjs/common';

/** `register` was given an email that already has an account (compared trimmed and lower-cased): 409. */
export class EmailTakenError extends ConflictException {
  override readonly name = 'EmailTakenError';

  constructor() {
    super('email already registered');
  }
}
