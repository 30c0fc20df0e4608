import type { DecodedImage } from '../src/data/png-format.js';
import { ReclinkError } from '../src/errors.js';
import type { LabFile } from '../src/lab/protocol.js';

/**
 * Decodes a PNG with the browser's decoder (in a worker: an ImageBitmap drawn on an
 * OffscreenCanvas), without colour management, so that the RGB values are the file's.
 * Fully transparent pixels read as black (the canvas stores premultiplied alpha).
 */
export async function decodePng(file: LabFile): Promise<DecodedImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([file.bytes.slice()], { type: 'image/png' }), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ReclinkError(`${file.name}: not a readable PNG image (${reason})`);
  }
  const { width, height } = bitmap;
  const context = new OffscreenCanvas(width, height).getContext('2d');
  if (context === null) throw new Error('no 2D context on an OffscreenCanvas');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { width, height, data: context.getImageData(0, 0, width, height).data };
}
