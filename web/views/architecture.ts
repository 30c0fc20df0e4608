import { summarize, type SummaryRow } from '../../src/model/summary.js';
import type { RecLinkConfig } from '../../src/model/config.js';
import { el } from '../dom.js';
import { architectureDiagram } from './diagram.js';
import type { PageState, View } from './view.js';

/** The exercise's 3.1.1: every parameter and activation with its shape, for the current network and batch size. */
export function architectureView(): View {
  const body = el('div', {}, el('p', { class: 'empty' }, 'The shapes appear once the data has loaded.'));
  const panel = el(
    'section',
    {},
    el('h2', {}, 'Shapes'),
    el('p', { class: 'lead' }, 'Every parameter and every intermediate of one pass, for the current network and batch size (the exercise\u2019s 3.1.1). Weights are stored out × in, as PyTorch stores them.'),
    body,
  );
  let drawn = '';
  return {
    id: 'architecture',
    title: 'Shapes',
    panel,
    update({ snapshot, status }: PageState) {
      if (!snapshot || !status) return;
      const key = JSON.stringify([snapshot.config, status.settings.batchSize]);
      if (key === drawn) return;
      drawn = key;
      body.replaceChildren(...shapes(snapshot.config, status.settings.batchSize));
    },
  };
}

function shapes(config: RecLinkConfig, batch: number): HTMLElement[] {
  const summary = summarize(config, batch);
  return [
    el('figure', { class: 'diagram-figure' }, architectureDiagram(config), el('figcaption', {}, `N = ${batch}, the batch size.`)),
    el('h3', {}, `Parameters: ${summary.parameterCount.toLocaleString('en-US')} in all`),
    table(summary.parameters, 'parameter'),
    el('h3', {}, `Activations for a batch of N = ${batch}`),
    table(summary.activations, 'tensor'),
  ];
}

function table(rows: SummaryRow[], what: string): HTMLTableElement {
  return el(
    'table',
    { class: 'shapes' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, what), el('th', { scope: 'col' }, 'shape'), el('th', { scope: 'col' }, 'what it is'))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, el('th', { scope: 'row' }, el('code', {}, r.name)), el('td', { class: 'num' }, `${r.shape[0]} × ${r.shape[1]}`), el('td', {}, r.description)))),
  );
}
