/**
 * The contract between extract and recognize: one page of one attachment,
 * in whichever form carries the most exact information.
 */

/** A word or glyph run from a PDF text layer, in page units with the origin at the top left. */
export interface TextItem {
  readonly str: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface TextLayer {
  readonly width: number;
  readonly height: number;
  readonly items: readonly TextItem[];
}

export type Page =
  /** A raster image: a photo, a scan, one frame of a TIFF/GIF. `image` is encoded bytes sharp can decode. */
  | { readonly source: 'image'; readonly pageNo: number; readonly image: Buffer }
  /** A PDF page: the rendered raster and, when the PDF has one, its text layer (exact for typed √). */
  | {
      readonly source: 'pdf';
      readonly pageNo: number;
      readonly image: Buffer | null;
      readonly text: TextLayer | null;
    }
  /** A table read from an office document's XML (.docx/.xlsx): rows of cell texts, exact. */
  | {
      readonly source: 'document';
      readonly pageNo: number;
      readonly format: 'docx' | 'xlsx';
      readonly rows: readonly (readonly string[])[];
    };
