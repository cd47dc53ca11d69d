import sharp from 'sharp';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlobStore } from '../store/blobs.js';
import { imageSize } from './ballot-view.js';

describe('imageSize', () => {
  it('gives the upright size of a phone photo stored sideways (EXIF orientation 5–8 swap width and height)', async () => {
    const blobs = new BlobStore(join(mkdtempSync(join(tmpdir(), 'imgsize-')), 'blobs'));
    const portraitPixels = sharp({ create: { width: 300, height: 500, channels: 3, background: '#fff' } });
    for (const orientation of [5, 6, 7, 8]) {
      const sha = blobs.put(await portraitPixels.clone().jpeg().withMetadata({ orientation }).toBuffer());
      expect(await imageSize(blobs, sha), `orientation ${orientation}`).toEqual({ width: 500, height: 300 });
    }
    for (const orientation of [1, 3]) {
      const sha = blobs.put(await portraitPixels.clone().jpeg().withMetadata({ orientation }).toBuffer());
      expect(await imageSize(blobs, sha), `orientation ${orientation}`).toEqual({ width: 300, height: 500 });
    }
    expect(await imageSize(blobs, blobs.put(Buffer.from('not an image')))).toBeNull();
  });
});
