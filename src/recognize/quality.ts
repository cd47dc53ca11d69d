import type { Gray } from './gray.js';

/**
 * Page quality 0..1 from two measurable things: how dark the print is against the
 * paper (contrast), and how wide the grey fringe around strokes is (blur). Used to
 * sort the review queue and to send hopeless pages to a person.
 */
export function pageQuality(
  dark: Gray,
  level: number,
  noise = 0,
): { quality: number; contrast: number; fringe: number } {
  // Grey below the paper's own grain (sensor noise, JPEG, photocopy toner dust) is not
  // blur; only grey clearly above it counts as the fringe of a stroke.
  const fringeFrom = Math.min(level - 1, Math.max(level * 0.3, noise + 8));
  let ink = 0;
  let fringe = 0;
  const hist = new Uint32Array(256);
  const d = dark.data;
  for (let i = 0; i < d.length; i += 2) {
    const v = d[i]!;
    if (v >= level) {
      ink++;
      hist[v]!++;
    } else if (v >= fringeFrom) fringe++;
  }
  if (ink === 0) return { quality: 0, contrast: 0, fringe: 0 };
  let k = Math.floor(ink * 0.5);
  let med = 255;
  for (let v = 255; v >= 0; v--) {
    k -= hist[v]!;
    if (k <= 0) {
      med = v;
      break;
    }
  }
  const contrast = Math.min(1, med / 160);
  const ratio = fringe / ink;
  const sharp = ratio <= 1.2 ? 1 : Math.max(0, 1 - (ratio - 1.2) / 3);
  return { quality: Math.round(contrast * sharp * 1000) / 1000, contrast, fringe: ratio };
}
