import { Announcer, statusText } from '../src/lab/announce.js';
import type { RangeNote } from '../src/lab/data-range.js';
import type { LabErrorSource, LabFile } from '../src/lab/protocol.js';
import { DEFAULT_LAB_SETTINGS, OPTIMIZER_NAMES, SettingsError, settingsFromForm, SWITCH_LR, type LabOptimizer, type LabSettings, type SettingsForm } from '../src/lab/settings.js';
import { formatNumber } from '../src/lab/view-data.js';
import { byId } from './dom.js';
import type { PageActions, PageState } from './views/view.js';

/** What the page does beyond sending commands: shortcuts the sidebar cannot handle alone. */
export interface ControlActions extends PageActions {
  /** Shows the view at this position (0-based), for the number keys. */
  showIndex(index: number): void;
  /** Moves the inspected sample by ±1. */
  moveSample(by: number): void;
}

/** The sidebar (run buttons, settings, data, checkpoints), the readouts and the keyboard. */
export class Controls {
  private readonly start = byId('start', HTMLButtonElement);
  /** The same button in the header, for phones, where the sidebar comes after the views. */
  private readonly startTop = byId('start-top', HTMLButtonElement);
  private readonly form = byId('settings', HTMLFormElement);
  private readonly errors: Record<Exclude<LabErrorSource, 'sample'>, HTMLElement> = {
    settings: byId('settings-error', HTMLElement),
    data: byId('data-error', HTMLElement),
    checkpoint: byId('checkpoint-error', HTMLElement),
    training: byId('training-error', HTMLElement),
  };
  private readonly announcer = new Announcer();
  private latestStatus = '';
  private retry = 0;
  private shownSettings = '';
  /** The settings in force, as the worker last reported them. */
  private applied: LabSettings | null = null;
  private running = false;

  constructor(private readonly actions: ControlActions) {
    this.start.addEventListener('click', () => this.toggle());
    this.startTop.addEventListener('click', () => this.toggle());
    byId('step', HTMLButtonElement).addEventListener('click', () => this.command('step'));
    byId('reset', HTMLButtonElement).addEventListener('click', () => this.command('reset'));
    byId('save', HTMLButtonElement).addEventListener('click', () => this.save());
    byId('export-onnx', HTMLButtonElement).addEventListener('click', () => {
      this.clear('checkpoint');
      this.actions.send({ type: 'export' });
    });
    byId('data-bundled', HTMLButtonElement).addEventListener('click', () => {
      this.clear('data');
      actions.send({ type: 'data', files: [] });
    });
    const dataFiles = byId('data-files', HTMLInputElement);
    dataFiles.addEventListener('change', () => void this.readFiles(dataFiles, (files) => actions.send({ type: 'data', files }), 'data'));
    const load = byId('load', HTMLInputElement);
    load.addEventListener('change', () => void this.readFiles(load, ([file]) => actions.send({ type: 'load', file }), 'checkpoint'));
    this.form.addEventListener('change', () => this.applySettings());
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.applySettings();
    });
    document.addEventListener('keydown', (event) => this.key(event));
  }

  /** Shows the worker's state: buttons, form (unless the learner is editing it), readouts. */
  update({ status, curves, snapshot }: PageState): void {
    if (!status) return;
    this.running = status.running;
    this.start.replaceChildren(status.running ? 'Pause ' : 'Train ', kbd('Space'));
    this.start.setAttribute('aria-pressed', String(status.running));
    this.startTop.textContent = status.running ? 'Pause' : 'Train';
    this.startTop.setAttribute('aria-pressed', String(status.running));
    this.applied = status.settings;
    const settings = JSON.stringify(status.settings);
    if (settings !== this.shownSettings && !this.form.contains(document.activeElement)) {
      this.shownSettings = settings;
      this.fill(status.settings);
    }
    const { train, validation } = curves.latest();
    text('readout-step', status.step.toLocaleString('en-US'));
    text('readout-epoch', String(status.epoch));
    text('readout-train', train === null ? '–' : formatNumber(train));
    const when = validation === null ? '' : validation.epoch === 0 ? 'at start' : `epoch ${validation.epoch}`;
    byId('readout-validation', HTMLElement).replaceChildren(validation === null ? '–' : formatNumber(validation.loss), ' ', small(when));
    text('readout-mse', validation === null || !snapshot ? '–' : formatNumber(validation.loss / snapshot.config.inputSize));
    text('readout-speed', status.samplesPerSecond === null ? '–' : Math.round(status.samplesPerSecond).toLocaleString('en-US'));
    text('data-name', status.data ? `${status.data.name}: ${status.data.train.toLocaleString('en-US')} training and ${status.data.validation.toLocaleString('en-US')} validation samples.` : 'Loading the bundled digits…');
    this.announce(statusText(status));
  }

  /** Puts `line` in the live status region, at most once a second (the last line shows after the wait). */
  private announce(line: string): void {
    this.latestStatus = line;
    const now = performance.now();
    const { show, retryAt } = this.announcer.offer(line, now);
    if (show !== null) text('status', show);
    if (retryAt !== null && this.retry === 0) {
      this.retry = window.setTimeout(() => {
        this.retry = 0;
        this.announce(this.latestStatus);
      }, retryAt - now);
    }
  }

  /** Says what a change did: a restart or a fresh optimizer under the settings (default), a loaded checkpoint under its buttons. */
  showNote(message: string, id: 'settings-note' | 'checkpoint-note' = 'settings-note'): void {
    const box = byId(id, HTMLElement);
    box.textContent = message;
    box.hidden = false;
  }

  /** Says that the data lies outside [0, 1], with a button that divides it (by 255 for pixels); hides the note for data within. */
  showRange(note: RangeNote | null): void {
    const box = byId('data-range', HTMLElement);
    box.hidden = note === null;
    if (note === null) return;
    const { divisor } = note;
    if (divisor === null) return void box.replaceChildren(note.message);
    box.replaceChildren(`${note.message} `, smallButton(`Divide by ${divisor}`, () => this.actions.send({ type: 'divide-data', divisor })));
  }

  /** Shows an error from the worker next to the control it concerns. */
  showError(source: LabErrorSource, message: string): void {
    const box = source === 'sample' ? byId('sample-error', HTMLElement) : this.errors[source];
    box.textContent = message;
    box.hidden = false;
  }

  private clear(source: Exclude<LabErrorSource, 'sample'>): void {
    this.errors[source].hidden = true;
  }

  private toggle(): void {
    this.command(this.running ? 'pause' : 'start');
  }

  private command(type: 'start' | 'pause' | 'step' | 'reset'): void {
    this.clear('training');
    this.actions.send({ type });
  }

  private save(): void {
    this.clear('checkpoint');
    this.actions.send({ type: 'save' });
  }

  /** The measured learning rate for switching a trained model to `optimizer`, with a button that sets it. */
  private showHint(optimizer: LabOptimizer): void {
    const lr = SWITCH_LR[optimizer];
    if (lr === undefined) return;
    const use = smallButton(`Use ${lr}`, () => {
      this.input('lr').value = String(lr);
      this.applySettings();
    });
    byId('optimizer-hint', HTMLElement).replaceChildren(`Switching a trained model to ${OPTIMIZER_NAMES[optimizer]}: a learning rate up to ${lr} kept the loss down (measured on the bundled digits). `, use);
  }

  private input(name: keyof LabSettings): HTMLInputElement | HTMLSelectElement {
    const input = this.form.elements.namedItem(name);
    if (!(input instanceof HTMLInputElement || input instanceof HTMLSelectElement)) throw new Error(`the settings form has no field ${name}`);
    return input;
  }

  private applySettings(): void {
    this.showHint(this.input('optimizer').value as LabOptimizer);
    const data = new FormData(this.form);
    const field = (name: keyof LabSettings): string => String(data.get(name) ?? '');
    const form: SettingsForm = {
      optimizer: field('optimizer'), lr: field('lr'), batchSize: field('batchSize'),
      cycles: field('cycles'), outputActivation: field('outputActivation'), seed: field('seed'),
    };
    try {
      const settings = settingsFromForm(form);
      this.markInvalid(null);
      this.clear('settings');
      this.shownSettings = JSON.stringify(settings);
      this.actions.send({ type: 'settings', settings });
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      this.markInvalid(error.field);
      const previous = this.applied?.[error.field];
      this.showError('settings', previous === undefined ? error.message : `${error.message}. The previous value, ${previous}, is still in use.`);
    }
  }

  /** Marks `field` as invalid (aria-invalid, highlighted), every other field as valid. */
  private markInvalid(field: keyof LabSettings | null): void {
    for (const name of Object.keys(DEFAULT_LAB_SETTINGS) as (keyof LabSettings)[]) {
      if (name === field) this.input(name).setAttribute('aria-invalid', 'true');
      else this.input(name).removeAttribute('aria-invalid');
    }
  }

  private fill(settings: LabSettings): void {
    for (const [name, value] of Object.entries(settings)) this.input(name as keyof LabSettings).value = String(value);
    this.showHint(settings.optimizer);
    this.markInvalid(null);
    this.clear('settings');
  }

  private async readFiles(input: HTMLInputElement, send: (files: LabFile[]) => void, source: 'data' | 'checkpoint'): Promise<void> {
    this.clear(source);
    const picked = Array.from(input.files ?? []);
    input.value = '';
    if (picked.length === 0) return;
    send(await Promise.all(picked.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))));
  }

  private key(event: KeyboardEvent): void {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
    if (document.querySelector('dialog[open]')) return;
    // Space trains or pauses anywhere but on a control Space presses; a view tab is not one (choosing a tab must not take Space away).
    const isTab = target instanceof HTMLElement && target.getAttribute('role') === 'tab';
    const isButton = !isTab && (target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement || target instanceof HTMLLabelElement);
    const actions: Record<string, () => void> = {
      '.': () => this.command('step'),
      r: () => this.command('reset'),
      s: () => this.save(),
      '[': () => this.actions.moveSample(-1),
      ']': () => this.actions.moveSample(1),
      '?': () => byId('help', HTMLDialogElement).showModal(),
    };
    if (event.key === ' ' && !isButton) actions[' '] = () => this.toggle();
    if (/^[1-9]$/.test(event.key)) actions[event.key] = () => this.actions.showIndex(Number(event.key) - 1);
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }
}

function smallButton(label: string, click: () => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'small';
  button.textContent = label;
  button.addEventListener('click', click);
  return button;
}

function small(value: string): HTMLElement {
  const element = document.createElement('small');
  element.textContent = value;
  return element;
}

function kbd(key: string): HTMLElement {
  const element = document.createElement('kbd');
  element.textContent = key;
  return element;
}

function text(id: string, value: string): void {
  byId(id, HTMLElement).textContent = value;
}
