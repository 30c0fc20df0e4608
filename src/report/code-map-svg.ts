import type { CodeMap } from '../lab/code-map.js';
import { DIGIT_COLOURS, mapFrame, pointColour } from '../lab/map-layout.js';
import { HEIGHT, WIDTH } from './svg-chart.js';

const MARGIN = 12;
const LEGEND = 28;

/** The codes map as a static SVG: a dot a sample, coloured by digit label (one colour without labels), and its legend. */
export function codeMapChart(map: CodeMap): string {
  const height = HEIGHT + 80;
  const frame = mapFrame(map.points, [], WIDTH, height - LEGEND, MARGIN);
  const dots: string[] = [];
  for (let n = 0; 2 * n + 1 < map.points.length; n++) {
    const [x, y] = frame.toScreen(map.points[2 * n], map.points[2 * n + 1]);
    dots.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="2" fill="${pointColour(map.labels, n)}"/>`);
  }
  const legend = map.labels
    ? DIGIT_COLOURS.map((colour, digit) => `<rect x="${MARGIN + 44 * digit}" y="${height - 18}" width="10" height="10" fill="${colour}"/><text x="${MARGIN + 44 * digit + 14}" y="${height - 9}" font-size="12">${digit}</text>`).join('')
    : `<text x="${MARGIN}" y="${height - 9}" font-size="12">no labels: every sample in one colour</text>`;
  const count = map.points.length / 2;
  const label = `codes of ${count} samples on their first two principal components`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${label}" class="code-map">
<rect x="0" y="0" width="${WIDTH}" height="${height - LEGEND}" fill="#fafbfc" stroke="#ccc"/>
${dots.join('')}
${legend}
</svg>`;
}
