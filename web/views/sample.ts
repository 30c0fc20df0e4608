import type { Matrix } from '../../src/linalg/matrix.js';
import type { LabSnapshot } from '../../src/lab/protocol.js';
import { clampSample, formatNumber, groupByLayer, imageShape, tensorLabel, tileGrid } from '../../src/lab/view-data.js';
import { drawImage, el } from '../dom.js';
import type { PageActions, PageState, View } from './view.js';

/** Screen pixels a tile is wide, whatever its length. */
const TILE_PIXELS = 90;

/** The activations and deltas of one sample, per layer and per cycle. */
export function sampleView(actions: PageActions): View {
  const index = el('input', { type: 'number', min: '0', step: '1', value: '0', id: 'sample-index', 'aria-label': 'sample number' });
  const previous = el('button', { type: 'button', 'aria-label': 'previous sample', 'aria-keyshortcuts': '[' }, '◀');
  const next = el('button', { type: 'button', 'aria-label': 'next sample', 'aria-keyshortcuts': ']' }, '▶');
  const countText = el('span', { class: 'muted' });
  const error = el('p', { id: 'sample-error', class: 'error', role: 'alert', hidden: '' });
  const summary = el('p', { class: 'muted' }, 'The tensors appear once the data has loaded.');
  const forward = el('div', { class: 'tensors' });
  const backward = el('div', { class: 'tensors' });
  const panel = el(
    'section',
    {},
    el('h2', {}, 'Inside a sample'),
    el('p', { class: 'lead' }, 'Every activation of one validation digit, layer by layer and cycle by cycle, and the deltas that backpropagation sends back. Each tensor is drawn as a near-square tile, red positive, blue negative, scaled to its own largest value; X and Y are drawn as images.'),
    el('div', { class: 'chooser' }, el('label', { for: 'sample-index' }, 'Sample'), previous, index, next, countText),
    error,
    summary,
    el('div', { class: 'two' }, el('div', {}, el('h3', {}, 'Forward'), forward), el('div', {}, el('h3', {}, 'Backward'), backward)),
  );
  let count = 1;
  let current = 0;
  /** Asks for sample `text` (clamped to the samples there are), shown in the field at once. */
  const choose = (text: string): void => {
    const sample = clampSample(text, count, current);
    index.value = String(sample);
    error.hidden = true;
    actions.send({ type: 'inspect', sample });
  };
  index.addEventListener('change', () => choose(index.value));
  previous.addEventListener('click', () => choose(String(current - 1)));
  next.addEventListener('click', () => choose(String(current + 1)));
  let drawn: LabSnapshot | null = null;
  return {
    id: 'sample',
    title: 'Inside a sample',
    panel,
    update({ snapshot, status }: PageState) {
      if (!snapshot || snapshot === drawn) return;
      drawn = snapshot;
      const { sample } = snapshot;
      count = Math.max(1, status?.data?.validation ?? 1);
      current = sample.index;
      index.value = String(sample.index);
      index.max = String(count - 1);
      countText.textContent = `of ${count} validation samples (0 to ${count - 1})`;
      summary.textContent = `E = ${formatNumber(sample.loss)} for this sample, at step ${snapshot.step}.`;
      const names = Object.keys(sample.tensors).filter((name) => !name.startsWith('grad.'));
      const split = names.indexOf('G_Y');
      forward.replaceChildren(...groups(names.slice(0, split), sample.tensors));
      backward.replaceChildren(...groups(names.slice(split), sample.tensors));
    },
  };
}

/** One row a part of the network (a layer, a cycle), titled, with its tensors' tiles. */
function groups(names: string[], tensors: Record<string, Matrix>): HTMLElement[] {
  return groupByLayer(names).map(({ layer, names: group }) =>
    el('div', { class: 'layer' }, el('h4', {}, layer), el('div', { class: 'tiles' }, ...group.map((name) => tensorTile(name, tensors[name])))),
  );
}

function tensorTile(name: string, m: Matrix): HTMLElement {
  const canvas = el('canvas', { class: 'pixels', role: 'img', 'aria-label': tensorLabel(name) });
  const image = name === 'X' || name === 'Y';
  drawImage(canvas, tileGrid([m.data], { columns: 1, scale: image ? 'grey' : 'diverging' }), TILE_PIXELS / imageShape(m.cols)[0]);
  let low = Infinity, high = -Infinity, active = 0;
  for (const v of m.data) {
    low = Math.min(low, v);
    high = Math.max(high, v);
    if (v > 0) active++;
  }
  const detail = name.startsWith('Z_') ? `${active} of ${m.cols} active` : `${m.rows} × ${m.cols}`;
  return el('figure', { class: 'tensor' }, canvas, el('figcaption', {}, el('strong', {}, tensorLabel(name)), el('br'), detail, el('br'), `${formatNumber(low)} … ${formatNumber(high)}`));
}
