/**
 * The size a page is read at, as a scale of the image it comes from. Pure: decoding
 * (sharp) and sheet rectification both size their rasters with it.
 */

/** Aspect ratio up to which an image is simply shrunk to the long side (A4 1.41, photos 4:3 and 16:9). */
const PLAIN_ASPECT = 1.8;
/** The most an elongated image's long side may exceed the working long side. */
const MAX_STRETCH = 2.5;

/**
 * Scale (at most 1) to the working size. An image much longer than wide (two or three
 * slips scanned side by side, a strip of a page) shrunk to the long side would leave
 * its short side too few pixels for the rows of a table, so its long side may grow
 * with its aspect ratio beyond 1.8, up to 2.5 times the working long side.
 */
export function workingScale(width: number, height: number, longSide: number, stretch = true): number {
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  if (long <= 0 || short <= 0) return 1;
  const grow = stretch ? Math.min(MAX_STRETCH, Math.max(1, long / short / PLAIN_ASPECT)) : 1;
  return Math.min(1, (longSide * grow) / long);
}
