import type { LabSnapshot } from '../../src/lab/protocol.js';
import { tileGrid, tilesOf } from '../../src/lab/view-data.js';
import { countDead } from '../../src/eval/dead-outputs.js';
import { drawImage, el } from '../dom.js';
import type { PageState, View } from './view.js';

const COLUMNS = 15;
const ZOOM = 3;
/** Image pixels between two tiles (the grey background shows between them, so that pale tiles stay apart). */
const TILE_GAP = 2;

/** Each row of W_in and each column of W_out as a tile, live. */
export function weightsView(): View {
  const inputCanvas = el('canvas', { id: 'weights-in', class: 'pixels', role: 'img', 'aria-label': 'rows of W_in as tiles' });
  const outputCanvas = el('canvas', { id: 'weights-out', class: 'pixels', role: 'img', 'aria-label': 'columns of W_out as tiles' });
  const empty = el('p', { class: 'empty' }, 'The weights appear once the data has loaded.');
  const panel = el(
    'section',
    {},
    el('h2', {}, 'Weights'),
    el('p', { class: 'lead' }, 'Red is positive, blue negative, white zero; each tile is scaled to its own largest weight, so it shows a pattern, not a size.'),
    empty,
    el('p', { class: 'legend' }, el('span', { class: 'swatch negative' }), ' negative ', el('span', { class: 'swatch zero' }), ' zero ', el('span', { class: 'swatch positive' }), ' positive'),
    el('div', { class: 'two' },
      el('figure', {}, inputCanvas, el('figcaption', {}, el('strong', {}, 'Rows of W_in'), ': what each input unit looks for in the image (its 225 weights as 15 × 15).')),
      el('figure', {}, outputCanvas, el('figcaption', {}, el('strong', {}, 'Columns of W_out'), ': what each hidden unit of S paints into the reconstruction.')),
    ),
  );
  const deadCount = el('p', { id: 'dead-count' }, 'The count appears once the data has loaded.');
  const deadMap = el('canvas', { id: 'dead-map', class: 'pixels', role: 'img', 'aria-label': 'the 15 by 15 output pixels, the dead ones dark' });
  panel.append(
    el('h3', {}, 'Dead output units'),
    el('div', { class: 'dead' },
      el('figure', {}, deadMap, el('figcaption', {}, 'Dark: the output pixels that never fire on the validation set.')),
      el('div', {}, deadCount, el('p', { class: 'muted' },
        'With a ReLU output g, a unit whose input is negative for every digit outputs 0 and gets a zero gradient, so no step can bring it back: its pixel stays black in every reconstruction, and its error stays. Choose sigmoid as the output activation (Settings, g): its gradient is never zero, and no unit dies.')),
    ),
  );
  let drawnAnalysis: PageState['analysis'] = null;
  let drawn: LabSnapshot | null = null;
  return {
    id: 'weights',
    title: 'Weights',
    panel,
    update({ snapshot, analysis, status }: PageState) {
      if (analysis && analysis !== drawnAnalysis) {
        drawnAnalysis = analysis;
        const dead = countDead(analysis.dead);
        const g = status?.settings.outputActivation ?? 'relu';
        deadCount.textContent = `${dead} of ${analysis.dead.length} output units are dead after step ${analysis.step.toLocaleString('en-US')} (output activation ${g}).`;
        drawImage(deadMap, tileGrid([Float32Array.from(analysis.dead, (d) => 1 - d)], { columns: 1, scale: 'grey' }), 10);
      }
      if (!snapshot || snapshot === drawn) return;
      drawn = snapshot;
      empty.hidden = true;
      drawImage(inputCanvas, tileGrid(tilesOf(snapshot.inputWeight, 'rows'), { columns: COLUMNS, scale: 'diverging', gap: TILE_GAP }), ZOOM);
      drawImage(outputCanvas, tileGrid(tilesOf(snapshot.outputWeight, 'columns'), { columns: COLUMNS, scale: 'diverging', gap: TILE_GAP }), ZOOM);
    },
  };
}
