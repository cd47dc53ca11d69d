import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Limits } from '../config/schema.js';
import type { ExtractFailureReason } from './extract-result.js';
import type { Page, TextItem, TextLayer } from './page.js';

/**
 * The pdfjs work itself: text layer with positions, and a raster of each page. Runs inside the
 * child process started by pdf.ts, because pdfjs on hostile input can loop or exhaust memory and
 * @napi-rs/canvas is native code; the parent survives either.
 */

/** ~200 dpi: enough for the recognizer's cell geometry, A4 comes out near 1654×2339. */
const RENDER_DPI = 200;
/** Pages bigger than this (a poster-sized "ballot") are rendered at a lower dpi rather than refused. */
const MAX_RENDER_PIXELS = 40_000_000;

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

export type PdfOutcome =
  | { readonly ok: true; readonly pageCount: number }
  | { readonly ok: false; readonly reason: ExtractFailureReason; readonly detail: string };

/** Reads `data`, calling `onPage` for each page as it is ready (so the parent sees progress). */
export async function readPdf(
  data: Uint8Array,
  limits: Limits,
  onPage: (page: Page) => void,
): Promise<PdfOutcome> {
  const task = getDocument({
    data,
    // Everything from node_modules, nothing from the network: CJK forms often use non-embedded
    // Adobe fonts (STSong-Light + UniGB-UCS2-H) whose text only decodes with the packed cMaps.
    cMapUrl: join(pdfjsRoot, 'cmaps') + '/',
    cMapPacked: true,
    standardFontDataUrl: join(pdfjsRoot, 'standard_fonts') + '/',
    wasmUrl: join(pdfjsRoot, 'wasm') + '/',
    iccUrl: join(pdfjsRoot, 'iccs') + '/',
    isEvalSupported: false,
    useSystemFonts: false,
    enableXfa: false,
    // An image inside the PDF declaring billions of pixels is refused by pdfjs instead of allocated.
    maxImageSize: limits.maxImagePixels,
    verbosity: 0,
  });
  let doc;
  // pdfjs in Node creates @napi-rs/canvas canvases through the document's own factory.
  try {
    doc = await task.promise;
  } catch (err) {
    const e = err as Error;
    if (e.name === 'PasswordException')
      return { ok: false, reason: 'encrypted', detail: 'PDF needs a password' };
    return { ok: false, reason: 'corrupt_file', detail: `PDF does not open: ${e.message}` };
  }
  try {
    if (doc.numPages > limits.maxPagesPerAttachment) {
      return {
        ok: false,
        reason: 'too_many_parts',
        detail: `PDF has ${doc.numPages} pages, limit ${limits.maxPagesPerAttachment}`,
      };
    }
    for (let n = 1; n <= doc.numPages; n++) {
      let page: PDFPageProxy;
      try {
        page = await doc.getPage(n);
      } catch (err) {
        return { ok: false, reason: 'corrupt_file', detail: `PDF page ${n}: ${(err as Error).message}` };
      }
      const text = await readTextLayer(page);
      const image = await renderPage(
        page,
        (doc as unknown as { canvasFactory: CanvasFactory }).canvasFactory,
      );
      onPage({ source: 'pdf', pageNo: n, image, text });
      page.cleanup();
    }
    return { ok: true, pageCount: doc.numPages };
  } finally {
    await doc.destroy();
  }
}

/** Text items in page units with the origin at the top left, as the recognizer's TextLayer expects. */
async function readTextLayer(page: PDFPageProxy): Promise<TextLayer | null> {
  const viewport = page.getViewport({ scale: 1 });
  let content;
  try {
    content = await page.getTextContent();
  } catch {
    // A broken content stream still renders what it can; the raster is the fallback.
    return null;
  }
  const items: TextItem[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str.trim() === '') continue;
    const [, , , , e, f] = item.transform as number[];
    // (e, f) is the baseline start in PDF space (origin bottom left); the viewport maps it to the top-left system,
    // honouring /Rotate and a CropBox that does not start at 0,0.
    const [vx, vy] = viewport.convertToViewportPoint(e ?? 0, f ?? 0) as [number, number];
    const height = item.height;
    items.push({ str: item.str, x: vx, y: vy - height, width: item.width, height });
  }
  items.push(...(await readFormFields(page, viewport)));
  if (items.length === 0) return null;
  return { width: viewport.width, height: viewport.height, items };
}

/**
 * A ballot filled in a PDF form: the typed values live in form fields (widget annotations), not in
 * the page's text, so they are added to the text layer at the field's position. A check box field
 * reads ☑ when ticked and ☐ when not, like a docx check box.
 */
async function readFormFields(
  page: PDFPageProxy,
  viewport: ReturnType<PDFPageProxy['getViewport']>,
): Promise<TextItem[]> {
  let annotations: Record<string, unknown>[];
  try {
    annotations = (await page.getAnnotations({ intent: 'display' })) as Record<string, unknown>[];
  } catch {
    return [];
  }
  const items: TextItem[] = [];
  for (const a of annotations) {
    if (a['subtype'] !== 'Widget' || !Array.isArray(a['rect'])) continue;
    let str: string | null = null;
    const value = a['fieldValue'];
    if (a['fieldType'] === 'Tx' && typeof value === 'string' && value.trim() !== '') {
      str = value;
    } else if (a['fieldType'] === 'Btn' && (a['checkBox'] === true || a['radioButton'] === true)) {
      const on =
        a['radioButton'] === true ? value === a['buttonValue'] : typeof value === 'string' && value !== 'Off';
      str = on ? '☑' : '☐';
    }
    if (str === null) continue;
    const [x1, y1, x2, y2] = viewport.convertToViewportRectangle(a['rect'] as number[]) as number[];
    const left = Math.min(x1 ?? 0, x2 ?? 0);
    const top = Math.min(y1 ?? 0, y2 ?? 0);
    items.push({
      str,
      x: left,
      y: top,
      width: Math.abs((x2 ?? 0) - (x1 ?? 0)),
      height: Math.abs((y2 ?? 0) - (y1 ?? 0)),
    });
  }
  return items;
}

async function renderPage(page: PDFPageProxy, factory: CanvasFactory): Promise<Buffer | null> {
  const base = page.getViewport({ scale: 1 });
  let scale = RENDER_DPI / 72;
  const pixels = base.width * scale * base.height * scale;
  if (pixels > MAX_RENDER_PIXELS) scale *= Math.sqrt(MAX_RENDER_PIXELS / pixels);
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.ceil(viewport.width));
  const height = Math.max(1, Math.ceil(viewport.height));
  const target = factory.create(width, height);
  try {
    target.context.fillStyle = '#ffffff';
    target.context.fillRect(0, 0, width, height);
    await page.render({ canvas: target.canvas as never, canvasContext: target.context as never, viewport })
      .promise;
    return target.canvas.toBuffer('image/png');
  } catch {
    // A page that does not render may still have its text layer; the recognizer decides.
    return null;
  } finally {
    factory.destroy(target);
  }
}

interface CanvasFactory {
  create(
    w: number,
    h: number,
  ): {
    canvas: { toBuffer(type: 'image/png'): Buffer; width: number; height: number };
    context: { fillStyle: string; fillRect(x: number, y: number, w: number, h: number): void };
  };
  destroy(target: unknown): void;
}
