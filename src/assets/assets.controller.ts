import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { Responder } from '../common/responder';
import { findAsset } from './static-assets';

/** A year: the most `max-age` that caches honour (RFC 9111 §5.2.2.1 suggests no more). */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * `GET /assets/<name>` (and `HEAD`): the stylesheet and the favicon, from memory. The session layer skips
 * `/assets/` (`DEFAULT_SKIP_PATHS`), so a file opens no session and sets no cookie. A request carrying the
 * file's current `?v=` (what pages link) may be cached for good; any other (no `v`, or an old page's `v`
 * answered by a newer instance during a deploy) is revalidated each time, so no cache keeps a wrong pairing.
 */
@Public()
@ApiExcludeController() // the pages' own files, not an API
@Controller('assets')
export class AssetsController {
  constructor(private readonly respond: Responder) {}

  @Get(':name')
  file(
    @Param('name') name: string,
    @Query('v') version: unknown,
    @Res({ passthrough: true }) res: unknown,
  ): string {
    const asset = findAsset(name);
    if (!asset) throw new NotFoundException(`no asset named ${name}`);
    this.respond.header(res, 'Content-Type', asset.contentType);
    this.respond.header(res, 'Cache-Control', version === asset.version ? IMMUTABLE : 'no-cache');
    return asset.body;
  }
}
