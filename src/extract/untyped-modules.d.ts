// Type declarations for the two decoders that ship without them; only what extract calls.

declare module 'bmp-js' {
  interface BmpImage {
    /** Four bytes per pixel in A, B, G, R order; A is 0 for 24-bit files. */
    data: Buffer;
    width: number;
    height: number;
  }
  const bmp: { decode(buffer: Buffer): BmpImage };
  export default bmp;
}

declare module 'heic-decode' {
  interface DecodedImage {
    width: number;
    height: number;
    data: Uint8ClampedArray;
  }
  interface LazyImage {
    width: number;
    height: number;
    decode(): Promise<DecodedImage>;
  }
  interface HeicDecode {
    (input: { buffer: Uint8Array }): Promise<DecodedImage>;
    all(input: { buffer: Uint8Array }): Promise<LazyImage[] & { dispose(): void }>;
  }
  const decode: HeicDecode;
  export default decode;
}
