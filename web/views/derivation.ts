import katex from 'katex';
import { backwardEquations, forwardEquations, type Equation } from '../../src/lab/equations.js';
import type { LabSnapshot } from '../../src/lab/protocol.js';
import { formatNumber, tensorLabel, type TensorStats } from '../../src/lab/view-data.js';
import { el } from '../dom.js';
import type { PageState, View } from './view.js';

/** Each equation of docs/derivation.md rendered with KaTeX, beside the live numbers of the current batch. */
export function derivationView(): View {
  const header = el('p', { class: 'muted' }, 'The numbers appear once the data has loaded.');
  const forward = el('tbody');
  const backward = el('tbody');
  const panel = el(
    'section',
    {},
    el('h2', {}, 'Derivation'),
    el('p', { class: 'lead' }, 'The forward pass and the hand-derived backward pass, one equation a row, as the derivation (docs/derivation.md) states them. Beside each: the tensors it computes for the current training batch, with their shape, their norm ‖·‖ and four entries of the first sample. ⊙ is the element-wise product; f is ReLU, g the output activation.'),
    header,
    el('h3', {}, 'Forward'),
    equationTable(forward),
    el('h3', {}, 'Backward'),
    equationTable(backward),
  );
  let drawnConfig = '';
  let cells = new Map<string, HTMLElement>();
  let drawn: LabSnapshot | null = null;
  return {
    id: 'derivation',
    title: 'Derivation',
    panel,
    update({ snapshot }: PageState) {
      if (!snapshot || snapshot === drawn) return;
      drawn = snapshot;
      const key = JSON.stringify(snapshot.config);
      if (key !== drawnConfig) {
        drawnConfig = key;
        cells = new Map();
        forward.replaceChildren(...forwardEquations(snapshot.config).map((e) => equationRow(e, cells)));
        backward.replaceChildren(...backwardEquations(snapshot.config).map((e) => equationRow(e, cells)));
      }
      const { batch } = snapshot;
      header.textContent = `Current batch: N = ${batch.size}, after step ${snapshot.step}; E / N = ${formatNumber(batch.loss)}.`;
      for (const [name, cell] of cells) {
        const stats = batch.tensors[name];
        cell.replaceChildren(...(stats ? statsLine(name, stats) : [tensorLabel(name), ': –']));
      }
    },
  };
}

function equationTable(body: HTMLTableSectionElement): HTMLTableElement {
  return el(
    'table',
    { class: 'equations' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'equation'), el('th', { scope: 'col' }, 'current batch: shape, norm, entries'))),
    body,
  );
}

function equationRow(equation: Equation, cells: Map<string, HTMLElement>): HTMLTableRowElement {
  const tex = el('td', { class: 'tex' });
  katex.render(equation.tex, tex, { throwOnError: true, displayMode: false });
  const numbers = el('td', { class: 'numbers' });
  for (const name of equation.tensors) {
    const cell = el('div', { 'data-tensor': name });
    cells.set(name, cell);
    numbers.append(cell);
  }
  return el('tr', {}, tex, numbers);
}

function statsLine(name: string, stats: TensorStats): (Node | string)[] {
  const label = el('strong', {}, tensorLabel(name));
  if (stats.rows * stats.cols === 1) return [label, ` = ${formatNumber(stats.entries[0])}`];
  const last = stats.firstColumn + stats.entries.length - 1;
  return [
    label,
    ` ${stats.rows} × ${stats.cols}, ‖·‖ = ${formatNumber(stats.norm)}, `,
    el('span', { class: 'entries' }, `row 0, columns ${stats.firstColumn}–${last}: `, el('code', {}, stats.entries.map(formatNumber).join(', '))),
  ];
}
