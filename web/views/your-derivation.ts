import { exampleDerivation, skeletonDerivation } from '../../src/check/examples.js';
import type { CheckReport } from '../../src/check/report.js';
import type { CheckSetting } from '../../src/check/truth.js';
import { annotateLines, reportSummary } from '../../src/lab/check-annotations.js';
import { CheckRunner } from '../../src/lab/check-runner.js';
import { figure } from '../../src/docs/figures.js';
import { DEFAULT_CONFIG, type RecLinkConfig } from '../../src/model/config.js';
import { el } from '../dom.js';
import type { PageActions, PageState, View } from './view.js';

/** Where the page keeps the learner's text between visits. */
const STORAGE_KEY = 'reclink.derivation';

/**
 * "Your derivation": the learner writes the backward pass in the formula language and checks
 * it against the network and the last training batch the lab is showing; ✓ or ✗ with the
 * diagnosis appears beside each line. The text stays in localStorage.
 */
export function yourDerivationView(actions: PageActions): View {
  let config: RecLinkConfig = { ...DEFAULT_CONFIG };
  let previous: string | null = null;
  const runner = new CheckRunner(() => new Worker(new URL('../check-worker.ts', import.meta.url), { type: 'module' }));

  const text = el('textarea', { id: 'derivation-text', spellcheck: 'false', wrap: 'off', autocomplete: 'off', 'aria-label': 'Your derivation, one assignment a line', 'aria-keyshortcuts': 'Control+Enter' });
  const gutter = el('pre', { class: 'gutter', 'aria-hidden': 'true' });
  const verdicts = el('ol', { class: 'verdicts', 'aria-label': 'The check, line by line' });
  const status = el('p', { class: 'muted', role: 'status', 'aria-live': 'polite' }, 'Write your backward pass, then check it.');
  const summary = el('p', { id: 'derivation-summary', class: 'summary' });
  const gradients = el('tbody');
  const check = el('button', { type: 'button', class: 'primary', id: 'derivation-check' }, 'Check ', el('kbd', {}, 'Ctrl+Enter'));
  const back = el('button', { type: 'button', hidden: '' }, 'Back to my text');

  const replaceText = (value: string, keepPrevious = true): void => {
    if (keepPrevious && text.value !== value) previous = text.value;
    back.hidden = previous === null;
    text.value = value;
    edited();
  };
  const edited = (): void => {
    localStorage.setItem(STORAGE_KEY, text.value);
    const count = text.value.split('\n').length;
    text.rows = count + 1;
    gutter.textContent = Array.from({ length: count }, (_, i) => String(i + 1)).join('\n');
    if (verdicts.childElementCount > 0) status.textContent = 'Edited since the last check.';
    verdicts.replaceChildren();
  };
  const run = async (): Promise<void> => {
    check.disabled = true;
    status.textContent = 'Checking…';
    try {
      const { setting, step } = await actions.checkSetting();
      if (!setting) {
        status.textContent = 'The network is not ready yet: wait for the data to load.';
        return;
      }
      const checked = text.value;
      const report = await runner.check({ text: checked, setting });
      if (text.value !== checked) {
        status.textContent = 'Edited while checking: check again.';
        return;
      }
      show(report);
      status.textContent = describeSetting(setting, step);
    } finally {
      check.disabled = false;
    }
  };
  const show = (report: CheckReport): void => {
    const annotations = annotateLines(report, text.value.split('\n').length);
    verdicts.replaceChildren(...annotations.map((a) => el('li', { class: a.kind, title: a.text }, a.text)));
    summary.textContent = reportSummary(report);
    summary.className = `summary ${report.ok ? 'right' : 'wrong'}`;
    gradients.replaceChildren(...report.gradients.map((g) => el('tr', { class: g.ok ? 'right' : 'wrong' }, el('td', {}, el('code', {}, g.name)), el('td', {}, g.ok ? '✓' : '✗'), el('td', { class: 'num' }, g.relativeError === null ? '–' : figure(g.relativeError)), el('td', {}, g.diagnosis))));
  };

  check.addEventListener('click', () => void run());
  text.addEventListener('input', edited);
  text.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    void run();
  });
  back.addEventListener('click', () => {
    if (previous !== null) replaceText(previous, false);
    previous = null;
    back.hidden = true;
  });
  const load = (label: string, make: () => string): HTMLButtonElement => {
    const button = el('button', { type: 'button' }, label);
    button.addEventListener('click', () => replaceText(make()));
    return button;
  };

  const panel = el(
    'section',
    {},
    el('h2', {}, 'Your derivation'),
    el(
      'p',
      { class: 'lead' },
      "Derive the backward pass yourself and check it. Write one assignment a line in math.js's language: A' transposes, A * B is the matrix product, A .* B the element-wise one, sum(A, 1) sums over the batch, # starts a comment. The forward pass and the weights are bound (X, Y, S, A_in, Z_in, …, W_in, b_in, …). Check evaluates your formulas in float64 on the network and the last training batch shown here, and says beside each line whether it is right and, when not, what is wrong. docs/derivation.md gives the equations.",
    ),
    el('div', { class: 'buttons' }, check, load('Skeleton', () => skeletonDerivation(config)), load('The exercise’s version', () => exampleDerivation('exercise', config)), load('A correct version', () => exampleDerivation('correct', config)), back),
    status,
    el('div', { class: 'derivation-editor' }, gutter, text, verdicts),
    summary,
    el('table', { class: 'gradients' }, el('thead', {}, el('tr', {}, ...['gradient', '', 'relative error', 'diagnosis'].map((h) => el('th', { scope: 'col' }, h)))), gradients),
  );
  replaceText(localStorage.getItem(STORAGE_KEY) ?? skeletonDerivation(config), false);
  return {
    id: 'your-derivation',
    title: 'Your derivation',
    panel,
    update({ snapshot }: PageState) {
      if (snapshot) config = snapshot.config;
    },
  };
}

function describeSetting({ config, x }: CheckSetting, step: number): string {
  const { cycles, hiddenSize, outputActivation, linkBias } = config;
  return `Checked on the network at step ${step.toLocaleString('en-US')} (T = ${cycles}, H = ${hiddenSize}, g = ${outputActivation}${linkBias ? ', a link bias' : ''}) and its last training batch of ${x.rows} samples, in float64.`;
}
