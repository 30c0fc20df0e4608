import { describe, expect, it } from 'vitest';
import { SIGN_DEMO, signErrorDemo } from '../src/lab/sign-demo.js';
import { clone } from '../src/linalg/matrix.js';
import { RecLinkNet } from '../src/model/reclink-net.js';
import { blobImages } from './lab-helpers.js';

describe('the sign error demonstration (erratum 6)', () => {
  it('raises the loss with the exercise\u2019s sign and lowers it with the correct one, leaving the network alone', () => {
    const net = new RecLinkNet({ seed: 4 });
    const x = blobImages(16, 5);
    const before = clone(net.parameter('output.weight').value);
    const { literal, corrected } = signErrorDemo(net, x);
    expect(literal).toHaveLength(SIGN_DEMO.steps + 1);
    expect(literal[0]).toBe(corrected[0]);
    expect(literal[0]).toBeCloseTo(net.computeGradients(x).loss / x.rows, 4);
    for (let i = 1; i < literal.length; i++) {
      expect(literal[i]).toBeGreaterThan(literal[i - 1]);
      expect(corrected[i]).toBeLessThan(corrected[i - 1]);
    }
    expect(net.parameter('output.weight').value.data).toEqual(before.data);
  });
});
