import { ERRATA } from '../../src/docs/errata-table.js';
import { SIGN_DEMO, SIGN_ERRATUM, type SignDemo } from '../../src/lab/sign-demo.js';
import { formatNumber } from '../../src/lab/view-data.js';
import { el, type Child } from '../dom.js';
import type { PageActions, PageState, View } from './view.js';

/** The exercise's errata: each row runs its literal formula on demand and shows what goes wrong. */
export function errataView(actions: PageActions): View {
  const results = ERRATA.map(() => el('td', { class: 'effect' }, el('span', { class: 'muted' }, 'not run yet')));
  const run = (row: number): void => {
    results[row].replaceChildren(el('span', { class: 'muted' }, 'running…'));
    actions.send({ type: 'erratum', row });
  };
  const runAll = el('button', { type: 'button', class: 'primary' }, 'Run every row');
  runAll.addEventListener('click', () => ERRATA.forEach((_, row) => run(row)));
  const rows = ERRATA.map((erratum, row) => {
    const button = el('button', { type: 'button', 'aria-label': `run the literal formula of row ${row + 1}` }, 'Run');
    button.addEventListener('click', () => run(row));
    return el('tr', {}, el('td', { class: 'num' }, String(row + 1)), el('td', {}, erratum.where), el('td', {}, ...inlineCode(erratum.says)), el('td', {}, ...inlineCode(erratum.does)), el('td', {}, button), results[row]);
  });
  const panel = el(
    'section',
    {},
    el('h2', {}, 'Errata of the exercise'),
    el(
      'p',
      { class: 'lead' },
      'Where the exercise\u2019s text is wrong or unclear, the code does what the fourth column says. Run a row to implement the exercise\u2019s formula as written, one change at a time, and see what goes wrong: measured now, on the default network in float64 and a batch of 4 random samples (the figures of docs/derivation.md). Row 6 also runs on the network you are training.',
    ),
    el('p', {}, runAll),
    el(
      'table',
      { class: 'errata' },
      el('thead', {}, el('tr', {}, ...['#', 'where', 'the exercise says', 'the code does', '', 'what the literal formula does'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows),
    ),
  );
  const shown = new Set<unknown>();
  return {
    id: 'errata',
    title: 'Errata',
    panel,
    update({ errata }: PageState) {
      for (const [row, result] of errata) {
        if (shown.has(result)) continue;
        shown.add(result);
        results[row].replaceChildren(...inlineCode(result.effect), ...(row === SIGN_ERRATUM && result.signDemo ? [signChart(result.signDemo)] : []));
      }
    },
  };
}

/** Text with `code` in backticks, as nodes. */
function inlineCode(text: string): Child[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? el('code', {}, part) : part));
}

/** Both trajectories of the sign demonstration as one small line chart. */
function signChart({ literal, corrected }: SignDemo): HTMLElement {
  const width = 340, height = 150;
  const box = { left: 58, right: 8, top: 8, bottom: 30 }; // room for the axes' labels
  const all = [...literal, ...corrected].map(Math.log10); // log scale: the ascent explodes
  const low = Math.min(...all), high = Math.max(...all);
  const x = (i: number): number => box.left + (i / (literal.length - 1)) * (width - box.left - box.right);
  const yLog = (l: number): number => height - box.bottom - ((l - low) / (high - low || 1)) * (height - box.top - box.bottom);
  const line = (values: number[], color: string): string => `<polyline fill="none" stroke="${color}" stroke-width="2" points="${values.map((v, i) => `${x(i)},${yLog(Math.log10(v))}`).join(' ')}"/>`;
  const text = (tx: number, ty: number, anchor: string, value: string): string => `<text x="${tx}" y="${ty}" text-anchor="${anchor}" font-size="11" fill="#5b6675">${value}</text>`;
  const bottom = height - box.bottom;
  const axes = `<path d="M ${box.left} ${box.top} V ${bottom} H ${width - box.right}" fill="none" stroke="#8d99ab"/>`
    + text(box.left - 4, yLog(high) + 4, 'end', formatNumber(10 ** high)) + text(box.left - 4, yLog(low) + 4, 'end', formatNumber(10 ** low))
    + text(box.left, bottom + 14, 'middle', '0') + text(width - box.right, bottom + 14, 'end', String(literal.length - 1))
    + text((box.left + width) / 2, bottom + 26, 'middle', 'step') + `<text x="12" y="${(box.top + bottom) / 2}" font-size="11" fill="#5b6675" text-anchor="middle" transform="rotate(-90 12 ${(box.top + bottom) / 2})">E / N (log)</text>`;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'sign-chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `loss per sample over ${SIGN_DEMO.steps} steps: rising with the exercise's sign, falling with the correct one`);
  svg.innerHTML = axes + line(literal, '#dc2626') + line(corrected, '#2563eb');
  const last = (values: number[]): string => `${formatNumber(values[0])} → ${formatNumber(values[values.length - 1])}`;
  return el(
    'figure',
    { class: 'sign-demo' },
    svg,
    el(
      'figcaption',
      {},
      `On your network and its current batch, ${SIGN_DEMO.steps} steps of gradient descent on the output layer (learning rate ${SIGN_DEMO.lr}), E / N on a log scale: `,
      el('span', { class: 'literal' }, `the exercise\u2019s sign ${last(literal)}`),
      ', ',
      el('span', { class: 'corrected' }, `the correct sign ${last(corrected)}`),
      '.',
    ),
  );
}
