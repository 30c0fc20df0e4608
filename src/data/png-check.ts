import { ReclinkError } from '../errors.js';
import { describe } from '../io/describe.js';

/**
 * The widest and tallest PNG image read: 4 times the side of the largest square input
 * (256 × 256, the 65,536 inputs a model may have). Decoding allocates what the header claims,
 * so larger images are refused before it.
 */
export const MAX_PNG_SIDE = 1024;

/** What a PNG file's chunks say about its image, once checked. */
export interface PngLayout {
  readonly width: number;
  readonly height: number;
  /** The image data: the IDAT chunks' contents in order, still compressed (zlib). */
  readonly compressed: readonly Uint8Array[];
  /** The bytes the image data must inflate to: a filter byte and the samples of each scanline of each pass. */
  readonly imageBytes: number;
}

interface Header {
  readonly width: number;
  readonly height: number;
  readonly depth: number;
  readonly colourType: number;
  /** Samples a pixel: 1 grey or palette index, 2 grey and alpha, 3 RGB, 4 RGBA. */
  readonly samples: number;
  readonly interlaced: boolean;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PALETTE = 3;
/** Per colour type: its name, its samples a pixel and the bit depths the PNG specification allows it. */
const COLOUR_TYPES: ReadonlyMap<number, { name: string; samples: number; depths: readonly number[] }> = new Map([
  [0, { name: 'grey', samples: 1, depths: [1, 2, 4, 8, 16] }],
  [2, { name: 'RGB', samples: 3, depths: [8, 16] }],
  [PALETTE, { name: 'palette', samples: 1, depths: [1, 2, 4, 8] }],
  [4, { name: 'grey and alpha', samples: 2, depths: [8, 16] }],
  [6, { name: 'RGBA', samples: 4, depths: [8, 16] }],
]);
/** Adam7's passes: first column, first row, column step, row step. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];

/**
 * Checks a PNG file's structure (https://www.w3.org/TR/png/) before anything is decoded: the
 * signature, IHDR first (a size of at most `MAX_PNG_SIDE` a side, a bit depth its colour type
 * allows, methods 0, interlace 0 or 1), a palette of 1 to 256 entries (at most 2^depth for a
 * palette image, which must have one), at least one IDAT chunk, IEND, and no chunk past the end
 * of the file. Decoders accept much of this broken; each is one ReclinkError line naming `file`.
 */
export function checkPng(bytes: Uint8Array, file: string): PngLayout {
  const fail = (what: string): ReclinkError => new ReclinkError(`${file}: ${what}`);
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((b, i) => bytes[i] !== b)) throw fail('not a PNG image (it does not start with the PNG signature)');
  const all = chunks(bytes, fail);
  const first = all.next();
  if (first.done || first.value.type !== 'IHDR') throw fail(`the first chunk is ${describe(first.value?.type)}, expected IHDR`);
  const header = parseHeader(first.value.data, fail);
  let palette = 0;
  const compressed: Uint8Array[] = [];
  for (const { type, data } of all) {
    if (type === 'IHDR') throw fail('a second IHDR chunk');
    if (type === 'PLTE') palette = paletteEntries(data, header, fail);
    if (type === 'IDAT') compressed.push(data);
  }
  if (header.colourType === PALETTE && palette === 0) throw fail('a palette image without a PLTE chunk');
  if (compressed.length === 0) throw fail('no IDAT chunk: the image has no pixel data');
  return { width: header.width, height: header.height, compressed, imageBytes: imageBytes(header) };
}

/** The chunks of a PNG file after its signature, up to IEND; a chunk past the end of the file, or no IEND, is an error. */
function* chunks(bytes: Uint8Array, fail: (what: string) => ReclinkError): Generator<{ type: string; data: Uint8Array }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = SIGNATURE.length; ; ) {
    if (at + 8 > bytes.length) throw fail(`the file ends at byte ${bytes.length} without an IEND chunk (truncated?)`);
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) throw fail(`chunk ${describe(type)} of ${length} bytes runs past the end of the file (truncated?)`);
    yield { type, data: bytes.subarray(at + 8, at + 8 + length) };
    if (type === 'IEND') return;
    at += 12 + length;
  }
}

/** Throws unless `inflated`, the length of the inflated image data, holds every scanline that `png` announces. */
export function checkImageData(png: PngLayout, inflated: number, file: string): void {
  if (inflated < png.imageBytes) {
    throw new ReclinkError(`${file}: ${inflated} bytes of image data, an image ${png.width} wide and ${png.height} high needs ${png.imageBytes} (truncated?)`);
  }
}

function parseHeader(data: Uint8Array, fail: (what: string) => ReclinkError): Header {
  if (data.length !== 13) throw fail(`an IHDR chunk of ${data.length} bytes, expected 13`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const [width, height] = [view.getUint32(0), view.getUint32(4)];
  const [depth, colourType, compression, filter, interlace] = data.subarray(8);
  if (width === 0 || height === 0) throw fail(`an image ${width} wide and ${height} high, expected at least 1 × 1`);
  if (width > MAX_PNG_SIDE || height > MAX_PNG_SIDE) {
    throw fail(`an image ${width} wide and ${height} high, expected at most ${MAX_PNG_SIDE} pixels a side (reclink's limit)`);
  }
  const colour = COLOUR_TYPES.get(colourType);
  if (colour === undefined) throw fail(`colour type ${colourType}, expected 0, 2, 3, 4 or 6`);
  if (!colour.depths.includes(depth)) throw fail(`bit depth ${depth} for colour type ${colourType} (${colour.name}), expected ${colour.depths.join(', ')}`);
  if (compression !== 0 || filter !== 0) throw fail(`compression method ${compression} and filter method ${filter}, expected 0 and 0`);
  if (interlace > 1) throw fail(`interlace method ${interlace}, expected 0 or 1`);
  return { width, height, depth, colourType, samples: colour.samples, interlaced: interlace === 1 };
}

function paletteEntries(data: Uint8Array, header: Header, fail: (what: string) => ReclinkError): number {
  const entries = data.length / 3;
  const most = header.colourType === PALETTE ? 2 ** header.depth : 256;
  if (!Number.isInteger(entries) || entries < 1 || entries > most) {
    throw fail(`a PLTE chunk of ${data.length} bytes, expected 3 bytes an entry and 1 to ${most} entries`);
  }
  return entries;
}

/** The length of the inflated image data: each pass's scanlines, a filter byte and the packed samples each. */
function imageBytes({ width, height, depth, samples, interlaced }: Header): number {
  const bitsPerPixel = depth * samples;
  let total = 0;
  for (const [x0, y0, dx, dy] of interlaced ? ADAM7 : [[0, 0, 1, 1]]) {
    const columns = Math.ceil((width - x0) / dx);
    const rows = Math.ceil((height - y0) / dy);
    if (columns > 0 && rows > 0) total += rows * (1 + Math.ceil((columns * bitsPerPixel) / 8));
  }
  return total;
}
