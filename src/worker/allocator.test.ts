import { describe, expect, it } from 'vitest';
import { ALLOCATOR_ENV, missingAllocatorSettings, runtimeGlibcVersion } from './allocator.js';

describe('malloc settings for the daemon', () => {
  it('names every setting missing under glibc, and none once all are set', () => {
    expect(missingAllocatorSettings({}, '2.36')).toEqual(['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_']);
    expect(missingAllocatorSettings({ MALLOC_ARENA_MAX: '2' }, '2.36')).toEqual(['MALLOC_MMAP_THRESHOLD_']);
    expect(missingAllocatorSettings({ ...ALLOCATOR_ENV }, '2.36')).toEqual([]);
  });

  it('asks nothing of other C libraries (musl, macOS), which ignore these names', () => {
    expect(missingAllocatorSettings({}, undefined)).toEqual([]);
  });

  it('finds glibc on this Debian machine', () => {
    expect(runtimeGlibcVersion()).toMatch(/^2\.\d+/);
  });
});
