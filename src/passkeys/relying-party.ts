import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { httpConfig } from '../config/namespaces';
import { PasskeysUnavailableError } from './passkeys.errors';

/** Who credentials are made for and where answers must come from, all from `PUBLIC_URL`. */
export interface RelyingParty {
  /** `PUBLIC_URL`'s host name (no port): the RP ID credentials are scoped to. */
  id: string;
  /** `PUBLIC_URL`'s origin (scheme, host, port): the only origin a response may come from. */
  origin: string;
  /** What authenticators show beside the account: the host with its port. */
  name: string;
}

/** The relying party, or 503 naming `PUBLIC_URL` when it is unset (production only). */
@Injectable()
export class RelyingPartyConfig {
  constructor(
    @Inject(httpConfig.KEY) private readonly http: Pick<ConfigType<typeof httpConfig>, 'publicUrl'>,
  ) {}

  /** @throws PasskeysUnavailableError (503) without `PUBLIC_URL`. */
  get(): RelyingParty {
    if (this.http.publicUrl === null) throw new PasskeysUnavailableError();
    const url = new URL(this.http.publicUrl);
    return { id: url.hostname, origin: url.origin, name: url.host };
  }
}
