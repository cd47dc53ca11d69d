import sharp from 'sharp';

/** Content types the review site shows inline, decided from the bytes, never from what a sender claimed. */
export function sniffImageType(
  data: Uint8Array,
): 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif' | null {
  const b = data;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (
    b.length >= 12 &&
    String.fromCharCode(...b.slice(0, 4)) === 'RIFF' &&
    String.fromCharCode(...b.slice(8, 12)) === 'WEBP'
  )
    return 'image/webp';
  if (b.length >= 6 && String.fromCharCode(...b.slice(0, 4)) === 'GIF8') return 'image/gif';
  return null;
}

/**
 * Content-Disposition for a download: always `attachment`, an ASCII fallback name with
 * nothing that could break the header, and the real (often Chinese) name in RFC 5987 form.
 */
export function downloadName(name: string): string {
  // Control characters would end the header line early.
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f"\\/]/g, '_').slice(0, 200) || 'download.bin';
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
}

/**
 * The image turned upright when it carries an EXIF orientation other than 1 (a phone photo stored
 * sideways), re-encoded in its own format without that tag. Browsers do apply EXIF orientation to
 * <img>, but whether an SVG <image> does has varied between engines, and the outlines drawn over a page
 * are in upright coordinates: serving upright pixels makes every renderer agree. Anything sharp cannot
 * read is returned unchanged.
 */
export async function uprightImage(data: Buffer): Promise<Buffer> {
  try {
    const { orientation } = await sharp(data).metadata();
    if (!orientation || orientation === 1) return data;
    return await sharp(data).autoOrient().toBuffer();
  } catch {
    return data;
  }
}
