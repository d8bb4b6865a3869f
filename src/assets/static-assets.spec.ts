import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { assetUrl, findAsset } from './static-assets';

describe(assetUrl.name, () => {
  it('versions the URL by the content of the file, so an edit gives a new URL', () => {
    const css = readFileSync(path.join(__dirname, 'public/app.css'));
    const digest = createHash('sha256').update(css).digest('hex');
    expect(assetUrl('app.css')).toBe(`/assets/app.css?v=${digest.slice(0, 10)}`);
  });
});

describe(findAsset.name, () => {
  it('finds the listed files only, never a path', () => {
    expect(findAsset('app.css')?.contentType).toBe('text/css; charset=utf-8');
    for (const name of ['nope.css', '../assets.module.ts', 'public/app.css', 'toString'])
      expect(findAsset(name)).toBeUndefined();
  });
});
