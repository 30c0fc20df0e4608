import type { RgbaImage } from '../src/lab/view-data.js';

/** Children of `el`: nodes, or text. */
export type Child = Node | string;

/** A new element with attributes (`class`, `aria-*`, ...) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** The element with this id, of the expected type; a missing one is a bug in index.html. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`index.html has no ${type.name} #${id}`);
  return element;
}

/**
 * Draws an RGBA image at one canvas pixel per image pixel; CSS scales it up
 * (`image-rendering: pixelated`) to `zoom` screen pixels per image pixel.
 */
export function drawImage(canvas: HTMLCanvasElement, image: RgbaImage, zoom: number): void {
  if (canvas.width !== image.width || canvas.height !== image.height) {
    canvas.width = image.width;
    canvas.height = image.height;
  }
  canvas.style.width = `${image.width * zoom}px`; // the height follows (CSS height: auto), also when max-width narrows it
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('no 2D canvas context');
  context.putImageData(new ImageData(new Uint8ClampedArray(image.pixels), image.width, image.height), 0, 0);
}
