import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { fromValues } from '../src/linalg/matrix.js';
import { resolveConfig } from '../src/model/config.js';
import { encodePng, pairGrid } from '../src/report/grid.js';
import { renderReport } from '../src/report/report.js';
import { codeMap } from '../src/lab/code-map.js';
import { lineChart } from '../src/report/svg-chart.js';

const inputs = fromValues(3, 4, [0, 1, 1, 0, 0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1]);
const outputs = fromValues(3, 4, [0, 0.8, 1.2, -0.1, 0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0]);

describe('pairGrid and encodePng', () => {
  it('draws each input beside its reconstruction, clamped to [0, 1]', () => {
    const image = pairGrid(inputs, outputs, { columns: 2, zoom: 1 });
    const png = PNG.sync.read(Buffer.from(encodePng(image)));
    expect([png.width, png.height]).toEqual([image.width, image.height]);
    const at = (x: number, y: number): number => png.data[4 * (y * png.width + x)];
    // first pair at (8, 8): input 2×2 tile, then reconstruction 2 pixels further right
    expect([at(8, 8), at(9, 8), at(8, 9), at(9, 9)]).toEqual([0, 255, 255, 0]);
    expect([at(12, 8), at(13, 8), at(12, 9), at(13, 9)]).toEqual([0, 204, 255, 0]);
    expect(image.height).toBe(2 * 2 + 3 * 8); // two rows of pairs
  });

  it('draws another range of values from black to white', () => {
    const image = pairGrid(fromValues(1, 4, [0, 85, 170, 255]), fromValues(1, 4, [-10, 300, 51, 255]), { zoom: 1, range: { low: 0, high: 255 } });
    const row = (y: number, left: number): number[] => [image.pixels[y * image.width + left], image.pixels[y * image.width + left + 1]];
    expect([...row(8, 8), ...row(9, 8)]).toEqual([0, 85, 170, 255]);
    expect([...row(8, 12), ...row(9, 12)]).toEqual([0, 255, 51, 255]);
  });

  it('refuses samples that are not square images', () => {
    expect(() => pairGrid(fromValues(1, 3, [0, 0, 0]), fromValues(1, 3, [0, 0, 0]))).toThrow(/cannot draw samples of 3 values/);
  });
});

describe('renderReport', () => {
  it('is a stand-alone page with the curves, the digits, the settings and the shapes', () => {
    const html = renderReport({
      title: 'run <1>',
      config: resolveConfig({ inputSize: 4, hiddenSize: 2, linkStride: 2 }),
      settings: { optimizer: 'adam', lr: 0.001 },
      history: [1, 2, 3].map((epoch) => ({ epoch, trainLoss: 10 / epoch, valLoss: 12 / epoch, valMse: 0.1 / epoch, lr: 1e-3 })),
      test: { mse: 0.0123, psnr: 19.1, deadOutputs: 3, inputs, outputs },
    });
    expect(html).toContain('run &#60;1&#62;');
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).toContain('<polyline');
    expect(html).toMatch(/src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    expect(html).toContain('<th>optimizer</th><td>adam</td>');
    expect(html).toContain('<td>input.weight</td><td>2×4</td>');
    expect(html).toContain('0.01230');
    expect(html).toContain('<th>dead outputs</th><td>3 of 4: output units whose ReLU never fires on any test sample');
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:|<script|<link/);
  });

  it('says when dead outputs are not counted (an output activation other than ReLU)', () => {
    const html = renderReport({
      title: 'run',
      config: resolveConfig({ inputSize: 4, hiddenSize: 2, linkStride: 2, outputActivation: 'sigmoid' }),
      settings: {},
      history: [],
      test: { mse: 0.0123, psnr: 19.1, deadOutputs: null, inputs, outputs },
    });
    expect(html).toContain('<th>dead outputs</th><td>not counted (sigmoid output)</td>');
  });

  it('maps the codes, a dot a sample coloured by its label', () => {
    const map = codeMap(fromValues(3, 2, [0, 0, 1, 2, 2, 5]), Uint8Array.of(0, 1, 1));
    const html = renderReport({
      title: 'codes', config: resolveConfig({ inputSize: 4, hiddenSize: 2, linkStride: 2 }), settings: {}, history: [],
      test: { mse: 0.01, psnr: 20, inputs, outputs }, codes: map,
    });
    expect(html).toContain('<h2>Codes</h2>');
    const fills = [...html.matchAll(/<circle [^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(fills).toHaveLength(3);
    expect(fills[1]).toBe(fills[2]);
    expect(fills[0]).not.toBe(fills[1]);
  });

  it('plots a chart with no finite point as a note, not a broken SVG', () => {
    expect(lineChart([{ name: 'a', color: 'red', points: [[1, Number.NaN]] }], { xLabel: 'x', yLabel: 'y' })).toBe('<p>No data to plot.</p>');
  });
});

describe('lineChart', () => {
  it('labels a logarithmic axis at 1, 2 and 5 times powers of ten', () => {
    const svg = lineChart([{ name: 'loss', color: 'blue', points: [[1, 0.9], [2, 7.5]] }], { xLabel: 'epoch', yLabel: 'loss', logY: true });
    const labels = [...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    expect(labels).toEqual(['1', '2', '5']);
  });
});
