import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Content-addressed file store for originals (raw mails, attachments) and images.
 * Files are immutable and named by their sha256, so storing twice is free and a
 * stored original can always be re-processed.
 */
export class BlobStore {
  constructor(readonly root: string) {}

  static hash(data: Uint8Array): string {
    return createHash('sha256').update(data).digest('hex');
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Write durably (temp file, fsync, rename) and return the hash. */
  put(data: Uint8Array): string {
    const sha = BlobStore.hash(data);
    const path = this.pathOf(sha);
    if (existsSync(path)) return sha;
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    return sha;
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  get(sha256: string): Buffer {
    return readFileSync(this.pathOf(sha256));
  }
}
