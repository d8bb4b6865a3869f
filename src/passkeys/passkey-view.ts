import type { PasskeyView } from './dto/passkeys.dto';
import type { Passkey } from './passkeys.repository';

/** A passkey as the list and the account page show it. */
export function view(passkey: Passkey): PasskeyView {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: new Date(passkey.createdAt).toISOString(),
    lastUsedAt: passkey.lastUsedAt === null ? null : new Date(passkey.lastUsedAt).toISOString(),
    backedUp: passkey.backedUp,
  };
}
