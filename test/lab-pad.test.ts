import { describe, expect, it } from 'vitest';
import { mapFrame, nearestPoint, pointColour, UNLABELLED_COLOUR } from '../src/lab/map-layout.js';
import { paintStroke } from '../src/lab/pad.js';

describe('the drawing pad', () => {
  it('inks every pixel a stroke crosses, half ink beside it, never beyond the edge', () => {
    const pixels = new Float32Array(15 * 15);
    paintStroke(pixels, 15, [7.5, 0.2], [7.5, 14.9]);
    for (let y = 0; y < 15; y++) {
      expect(pixels[y * 15 + 7]).toBe(1);
      expect(pixels[y * 15 + 6]).toBe(0.5);
      expect(pixels[y * 15 + 5]).toBe(0);
    }
    paintStroke(pixels, 15, [-3, -3], [0.5, 0.5]);
    expect(pixels[0]).toBe(1);
    expect(pixels.every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});

describe('the codes map layout', () => {
  it('fits the points to the box, y up, and finds the point under the pointer', () => {
    const points = Float32Array.of(0, 0, 10, 5, 4, 1);
    const frame = mapFrame(points, [], 110, 60, 5);
    expect(frame.toScreen(0, 0)).toEqual([5, 55]);
    expect(frame.toScreen(10, 5)).toEqual([105, 5]);
    expect(nearestPoint(points, frame, 46, 44, 8)).toBe(2);
    expect(nearestPoint(points, frame, 80, 30, 8)).toBeNull();
  });

  it('colours by label, one colour without labels', () => {
    expect(pointColour(Uint8Array.of(0, 3), 1)).not.toBe(pointColour(Uint8Array.of(0, 3), 0));
    expect(pointColour(null, 5)).toBe(UNLABELLED_COLOUR);
  });
});
