/**
 * glibc malloc settings the recognizer needs in a long-running process. They are read
 * by glibc when the process starts, so they can only come from its environment
 * (Dockerfile, `npm start`, the benchmark's reader); the daemon warns when they are missing.
 *
 * - MALLOC_ARENA_MAX: glibc gives every thread that allocates (libvips' decoding threads,
 *   Tesseract's) its own arena, and each arena keeps the image buffers freed in it.
 * - MALLOC_MMAP_THRESHOLD_: glibc's threshold for serving an allocation by its own mmap
 *   rises to the size of every large block freed, so after the first page the big rasters
 *   (11 MB for a float raster of a 2000 px page) come from the arenas and fragment them.
 *   A fixed 4 MiB keeps them mapped and returned whole; smaller values cost time (every
 *   row strip and cell crop becomes an mmap and fresh zeroed pages).
 *
 * Measured reading the 424 generated pages one after another in one process: peak RSS
 * 623 MB and still rising after 240 pages with glibc's defaults, 410 MB with 2 arenas,
 * 369 MB with 2 arenas and the 4 MiB threshold (same time within 5%); a 256 KiB
 * threshold gave 343 MB but took 43% longer.
 */
export const ALLOCATOR_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '4194304',
};

/**
 * The settings of `ALLOCATOR_ENV` missing from `env`, when the C library is glibc
 * (`glibcVersion` from Node's process report; other allocators ignore these names).
 */
export function missingAllocatorSettings(env: NodeJS.ProcessEnv, glibcVersion: string | undefined): string[] {
  if (!glibcVersion) return [];
  return Object.keys(ALLOCATOR_ENV).filter((k) => env[k] === undefined || env[k] === '');
}

/** The running process's glibc version, or undefined with another C library. */
export function runtimeGlibcVersion(): string | undefined {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime;
}
