/**
 * Entry point of the PDF reader process (started by pdf.ts with fork). One job at a time:
 * receives { id, data, limits }, sends each page as it is ready, then done or fail.
 */
import { limitsSchema, type Limits } from '../config/schema.js';
import type { Page } from './page.js';
import { readPdf } from './pdf-pages.js';

export type PdfJob = { readonly id: number; readonly data: Uint8Array; readonly limits: Limits };
export type PdfMessage =
  | { readonly id: number; readonly type: 'page'; readonly page: Page }
  | { readonly id: number; readonly type: 'done'; readonly pageCount: number }
  | { readonly id: number; readonly type: 'fail'; readonly reason: string; readonly detail: string };

/** A one-page empty PDF: reading it once loads pdfjs, its worker code and the canvas before real work arrives. */
const WARM_UP_PDF =
  '%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
  '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

const ready = readPdf(
  new Uint8Array(Buffer.from(WARM_UP_PDF, 'latin1')),
  limitsSchema.parse({}),
  () => {},
).catch(() => undefined);

function send(msg: PdfMessage): void {
  process.send?.(msg);
}

process.on('message', (job: PdfJob) => {
  void (async () => {
    await ready;
    try {
      const out = await readPdf(job.data, job.limits, (page) => send({ id: job.id, type: 'page', page }));
      if (out.ok) send({ id: job.id, type: 'done', pageCount: out.pageCount });
      else send({ id: job.id, type: 'fail', reason: out.reason, detail: out.detail });
    } catch (err) {
      // pdfjs threw past our handling: a malformed file, not a bug worth crashing the reader for.
      send({
        id: job.id,
        type: 'fail',
        reason: 'corrupt_file',
        detail: `PDF reader error: ${(err as Error).message}`,
      });
    }
  })();
});

process.on('disconnect', () => process.exit(0));
