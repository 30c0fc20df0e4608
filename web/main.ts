import 'katex/dist/katex.min.css';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { LossCurves } from '../src/lab/loss-curves.js';
import type { CheckSetting } from '../src/check/truth.js';
import { clampSample } from '../src/lab/view-data.js';
import type { LabCommand, LabEvent } from '../src/lab/protocol.js';
import { Controls } from './controls.js';
import { byId, el } from './dom.js';
import { architectureView } from './views/architecture.js';
import { codesView } from './views/codes.js';
import { derivationView } from './views/derivation.js';
import { errataView } from './views/errata.js';
import { introView } from './views/intro.js';
import { sampleView } from './views/sample.js';
import { trainView } from './views/train.js';
import type { PageActions, PageState, View } from './views/view.js';
import { weightsView } from './views/weights.js';
import { yourDerivationView } from './views/your-derivation.js';

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const state: PageState = { status: null, snapshot: null, curves: new LossCurves(), analysis: null, drawn: null, digit: null, errata: new Map() };
/** Views waiting for the network and batch to check a derivation on. */
const settingRequests: ((answer: { setting: CheckSetting | null; step: number }) => void)[] = [];
const actions: PageActions = {
  send: (command: LabCommand) => worker.postMessage(command),
  show,
  checkSetting: () =>
    new Promise((resolve) => {
      settingRequests.push(resolve);
      actions.send({ type: 'check-setting' });
    }),
};
const views: View[] = [
  introView(actions),
  trainView(actions),
  architectureView(),
  weightsView(),
  sampleView(actions),
  derivationView(),
  errataView(actions),
  codesView(actions),
  yourDerivationView(actions),
];
const tabs = views.map(tab);
let active = views.findIndex((v) => `#${v.id}` === location.hash);
/** Milliseconds between two redraws while training, at least. */
const TRAINING_FRAME_MS = 100;
let frame = 0;
let wait = 0;
let lastFrame = -Infinity;
const controls = new Controls({
  ...actions,
  showIndex: (index) => index < views.length && show(views[index].id),
  moveSample: (by) => state.snapshot && actions.send({ type: 'inspect', sample: clampSample(String(state.snapshot.sample.index + by), state.status?.data?.validation ?? 1, state.snapshot.sample.index) }),
});

byId('panels', HTMLElement).append(...views.map((v) => v.panel));
document.querySelector('nav.tabs')?.append(...tabs);
show(views[Math.max(0, active)].id, false);
byId('help-button', HTMLButtonElement).addEventListener('click', () => byId('help', HTMLDialogElement).showModal());

worker.addEventListener('message', (event: MessageEvent<LabEvent>) => receive(event.data));
worker.addEventListener('error', (event) => {
  byId('status', HTMLElement).textContent = `The training worker failed: ${event.message || 'it could not start'}. Reload the page.`;
});
actions.send({ type: 'data', files: [] });

function receive(event: LabEvent): void {
  switch (event.type) {
    case 'status':
      state.status = event.status;
      break;
    case 'losses':
      state.curves.add(event.points, event.restart);
      if (event.restart) byId('checkpoint-note', HTMLElement).hidden = true; // a loaded checkpoint says so right after
      break;
    case 'analysis':
      state.analysis = event.analysis;
      break;
    case 'drawn':
      state.drawn = event.result;
      break;
    case 'digit':
      state.digit = event;
      break;
    case 'rolled-back':
      state.curves.rollBack(event.step);
      break;
    case 'snapshot':
      state.snapshot = event.snapshot;
      break;
    case 'checkpoint':
      download(event.file.name, event.file.bytes);
      break;
    case 'erratum':
      state.errata.set(event.row, { effect: event.effect, signDemo: event.signDemo });
      break;
    case 'check-setting':
      for (const resolve of settingRequests.splice(0)) resolve({ setting: event.setting, step: event.step });
      return;
    case 'settings-changed':
      if (!event.restarted) state.curves.mark(event.step, event.label);
      controls.showNote(event.restarted ? `${event.label}: a new network from the seed, back at step 0, paused.` : event.note ?? `${event.label}, from step ${event.step}.`);
      break;
    case 'loaded':
      controls.showNote(event.message, 'checkpoint-note');
      break;
    case 'data-range':
      controls.showRange(event.note);
      break;
    case 'error':
      controls.showError(event.source, event.message);
      break;
  }
  render();
}

/**
 * Redraws the sidebar and the visible view at the next animation frame (at most once a
 * frame), and while training at most every `TRAINING_FRAME_MS`: a third as often as the
 * worker posts (every 30 ms slice), which leaves the cores to training.
 */
function render(): void {
  if (frame !== 0 || wait !== 0) return;
  const delay = state.status?.running ? lastFrame + TRAINING_FRAME_MS - performance.now() : 0;
  if (delay > 0) {
    wait = window.setTimeout(() => {
      wait = 0;
      render();
    }, delay);
    return;
  }
  frame = requestAnimationFrame(() => {
    frame = 0;
    lastFrame = performance.now();
    controls.update(state);
    views[active].update(state);
  });
}

function show(id: string, focus = true): void {
  active = Math.max(0, views.findIndex((v) => v.id === id));
  views.forEach((v, i) => {
    v.panel.hidden = i !== active;
    tabs[i].setAttribute('aria-selected', String(i === active));
    tabs[i].tabIndex = i === active ? 0 : -1;
  });
  history.replaceState(null, '', `#${views[active].id}`);
  if (focus) tabs[active].focus();
  render();
}

function tab(view: View, index: number): HTMLButtonElement {
  view.panel.id = `panel-${view.id}`;
  view.panel.setAttribute('role', 'tabpanel');
  view.panel.setAttribute('aria-labelledby', `tab-${view.id}`);
  view.panel.classList.add('panel');
  const button = el('button', { type: 'button', role: 'tab', id: `tab-${view.id}`, 'aria-controls': view.panel.id, 'aria-keyshortcuts': String(index + 1) }, view.title);
  button.addEventListener('click', () => show(view.id));
  button.addEventListener('keydown', (event) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    show(views[(index + step + views.length) % views.length].id);
  });
  return button;
}

function download(name: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/octet-stream' }));
  const link = el('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
