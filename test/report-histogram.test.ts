import { describe, expect, it } from 'vitest';
import { fromValues } from '../src/linalg/matrix.js';
import { resolveConfig } from '../src/model/config.js';
import { binCounts, histogramChart } from '../src/report/histogram.js';
import { renderReport } from '../src/report/report.js';

describe('binCounts', () => {
  it('counts values into equal bins, the top edge in the last bin, outside values left out', () => {
    expect(binCounts([0, 0.24, 0.25, 0.5, 0.99, 1, -0.1, 1.1, NaN], 0, 1, 4)).toEqual([2, 1, 1, 2]);
  });
});

describe('histogramChart', () => {
  it('draws each series as fractions of its own size, and a dashed line at each marker', () => {
    const svg = histogramChart(
      [
        { name: 'a', color: '#111', values: [1, 1, 1, 3] },
        { name: 'b', color: '#222', values: [3, 3] },
      ],
      [{ label: 'q 0.99', x: 2 }],
      { xLabel: 'SSE', bins: 2 },
    );
    // Two bins over [0, 3]; a: 3/4 then 1/4; b: 0 then 1 (the tallest, at the top of the plot area y = 16).
    const outline = (color: string): string => svg.match(new RegExp(`stroke="${color}" stroke-width="2" points="([^"]+)"`))?.[1] ?? '';
    expect(outline('#222')).toBe('64,280 64.0,280.0 344.0,280.0 344.0,16.0 624.0,16.0 624,280');
    expect(outline('#111')).toBe('64,280 64.0,82.0 344.0,82.0 344.0,214.0 624.0,214.0 624,280');
    expect(svg).toContain('<line x1="437.3" x2="437.3" y1="16" y2="280" stroke="#555" stroke-dasharray="4 3"/>');
    expect(svg).toContain('>q 0.99</text>');
  });

  it('says there is nothing to plot for no values', () => {
    expect(histogramChart([{ name: 'a', color: '#111', values: [] }], [], { xLabel: 'SSE' })).toBe('<p>No data to plot.</p>');
  });
});

describe('renderReport with reconstruction errors', () => {
  it('shows the training and test errors with the recorded quantiles', () => {
    const x = fromValues(1, 4, [0, 1, 1, 0]);
    const html = renderReport({
      title: 'run',
      config: resolveConfig({ inputSize: 4, hiddenSize: 2, linkStride: 2 }),
      settings: {},
      history: [],
      test: { mse: 0.1, psnr: 10, inputs: x, outputs: x },
      errors: { train: [1, 2, 3], test: [2, 5], quantiles: { samples: 3, quantiles: { '0.5': 2, '0.99': 2.98 } } },
    });
    expect(html).toContain('<h2>Reconstruction errors</h2>');
    expect(html).toContain('default q 0.99 = 2.980');
    expect(html).toContain('>training (3)</text>');
    expect(html).toContain('>test (2)</text>');
    expect(html.match(/stroke-dasharray/g)).toHaveLength(2);
  });
});
