import type { Limits } from '../config/schema.js';
import { extractPages } from './extract.js';
import type { ExtractFailureReason, ExtractResult } from './extract-result.js';
import type { FileFormat } from './sniff.js';

/**
 * One attachment → every file in it with its pages or its failure, archives opened recursively.
 * A convenience over extractPages for callers that want the whole tree: archives nested deeper
 * than limits.maxNestingDepth, and files beyond limits.maxArchiveEntries in the whole tree, are
 * recorded as too_many_parts rather than read.
 */
export type ExtractedFile = {
  /** The attachment's name, then each archive entry below it: "ballots.zip/inner.zip/1.png". */
  readonly name: string;
  /** 0 for the attachment itself, 1 for a file inside a ZIP, 2 inside a ZIP inside a ZIP … */
  readonly depth: number;
  readonly result: Exclude<ExtractResult, { format: 'zip'; ok: true }>;
};

export async function extractTree(
  data: Buffer,
  filename: string | null,
  limits: Limits,
): Promise<ExtractedFile[]> {
  const out: ExtractedFile[] = [];
  let files = 0;

  const fail = (
    name: string,
    depth: number,
    reason: ExtractFailureReason,
    detail: string,
    format: FileFormat | null,
  ) => out.push({ name, depth, result: { ok: false, reason, detail, format } });

  async function visit(bytes: Buffer, name: string, depth: number): Promise<void> {
    const result = await extractPages(bytes, name, limits);
    if (!(result.ok && result.format === 'zip')) {
      out.push({ name, depth, result });
      return;
    }
    for (const s of result.skipped) fail(`${name}/${s.name}`, depth + 1, s.reason, s.detail, null);
    for (const child of result.children) {
      const childName = `${name}/${child.name}`;
      files += 1;
      if (files > limits.maxArchiveEntries) {
        fail(
          childName,
          depth + 1,
          'too_many_parts',
          `more than ${limits.maxArchiveEntries} files in nested archives`,
          null,
        );
        continue;
      }
      if (depth + 1 > limits.maxNestingDepth) {
        fail(
          childName,
          depth + 1,
          'too_many_parts',
          `archive nested deeper than ${limits.maxNestingDepth} levels`,
          null,
        );
        continue;
      }
      await visit(child.data, childName, depth + 1);
    }
  }

  await visit(data, filename ?? '(unnamed)', 0);
  return out;
}
