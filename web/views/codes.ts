import type { CodeMap } from '../../src/lab/code-map.js';
import { DIGIT_COLOURS, mapFrame, nearestPoint, pointColour, type MapFrame } from '../../src/lab/map-layout.js';
import { paintStroke } from '../../src/lab/pad.js';
import { tileGrid } from '../../src/lab/view-data.js';
import { drawImage, el } from '../dom.js';
import type { PageActions, PageState, View } from './view.js';

const SIDE = 15;
/** Screen pixels a pad pixel is wide. */
const PAD_ZOOM = 16;
const MAP_MARGIN = 12;
/** Screen pixels within which the pointer picks a point. */
const HOVER_RADIUS = 8;

/** The codes of the validation digits on a plane (PCA), with hover, and a pad to draw a digit of your own onto it. */
export function codesView(actions: PageActions): View {
  const map = el('canvas', { id: 'codes-map', class: 'codes-map', role: 'img', 'aria-label': 'the validation digits\u2019 codes on a plane' });
  const caption = el('p', { class: 'muted', id: 'codes-caption' }, 'The map appears once the data has loaded.');
  const legend = el('p', { class: 'legend codes-legend' });
  const tip = el('div', { class: 'codes-tip', hidden: '' });
  const pad = el('canvas', { id: 'pad', class: 'pixels pad', role: 'img', 'aria-label': 'drawing pad, 15 by 15 pixels: draw with the mouse, a finger or a pen' });
  const reconstruction = el('canvas', { id: 'pad-reconstruction', class: 'pixels pad', role: 'img', 'aria-label': 'the network\u2019s reconstruction of your drawing' });
  const verdict = el('p', { id: 'pad-verdict', class: 'muted', 'aria-live': 'polite' }, 'Draw a digit in the left square.');
  const clear = el('button', { type: 'button', id: 'pad-clear' }, 'Clear');
  const panel = el(
    'section',
    {},
    el('h2', {}, 'Codes'),
    el('p', { class: 'lead' }, 'Each dot is a validation digit\u2019s code S, the 75 numbers the output layer redraws the image from, projected onto the two directions along which the codes vary most (principal components). Digits the network finds alike sit together. Point at a dot to see the digit and its reconstruction; draw your own digit below to see where it lands.'),
    el('div', { class: 'codes-frame' }, map, tip),
    legend,
    caption,
    el('h3', {}, 'Draw a digit'),
    el('div', { class: 'pad-row' },
      el('figure', {}, pad, el('figcaption', {}, 'Your drawing (15 × 15)')),
      el('figure', {}, reconstruction, el('figcaption', {}, 'Its reconstruction')),
    ),
    el('p', {}, clear),
    verdict,
  );
  const pixels = new Float32Array(SIDE * SIDE);
  let drawnMap: CodeMap | null = null;
  let drawnResult: unknown = null;
  let frame: MapFrame | null = null;
  let state: PageState | null = null;
  let hovered: number | null = null;
  let pending = 0;

  const redrawPad = (): void => drawImage(pad, tileGrid([pixels], { columns: 1, scale: 'grey' }), PAD_ZOOM);
  const send = (): void => {
    pending ||= requestAnimationFrame(() => {
      pending = 0;
      actions.send({ type: 'draw', pixels: pixels.slice() });
    });
  };
  redrawPad();
  drawImage(reconstruction, tileGrid([new Float32Array(SIDE * SIDE)], { columns: 1, scale: 'grey' }), PAD_ZOOM);
  wirePad(pad, pixels, () => {
    redrawPad();
    send();
  });
  clear.addEventListener('click', () => {
    pixels.fill(0);
    redrawPad();
    send();
  });

  map.addEventListener('pointermove', (event) => {
    const analysis = state?.analysis;
    if (!analysis || !frame) return;
    const box = map.getBoundingClientRect();
    const sx = ((event.clientX - box.left) / box.width) * map.width, sy = ((event.clientY - box.top) / box.height) * map.height;
    const index = nearestPoint(analysis.map.points, frame, sx, sy, HOVER_RADIUS * devicePixelRatio);
    tip.hidden = index === null;
    if (index === null || index === hovered) return;
    hovered = index;
    tip.style.left = `${event.clientX - box.left + 14}px`;
    tip.style.top = `${event.clientY - box.top + 14}px`;
    actions.send({ type: 'digit', index });
  });
  map.addEventListener('pointerleave', () => {
    tip.hidden = true;
    hovered = null;
  });

  return {
    id: 'codes',
    title: 'Codes',
    panel,
    update(current: PageState) {
      state = current;
      const { analysis, drawn, digit } = current;
      if (digit && digit.index === hovered && tip.dataset.index !== String(digit.index)) showDigit(tip, digit);
      if (!analysis || (analysis.map === drawnMap && drawn === drawnResult)) return;
      drawnMap = analysis.map;
      drawnResult = drawn;
      frame = drawMap(map, analysis.map, drawn?.point ?? null);
      legend.replaceChildren(...legendItems(analysis.map));
      const [a, b] = analysis.map.explained.map((v) => `${Math.round(100 * v)} %`);
      caption.textContent = `${analysis.map.points.length / 2} validation digits after step ${analysis.step.toLocaleString('en-US')}: across, the first principal component (${a} of the codes\u2019 variance); up, the second (${b}). Redrawn every 2 seconds while training.`;
      if (drawn) {
        drawImage(reconstruction, tileGrid([drawn.output], { columns: 1, scale: 'grey' }), PAD_ZOOM);
        verdict.textContent = drawn.verdict;
        verdict.className = drawn.unusual ? 'note unusual' : 'muted';
      }
    },
  };
}

/** Pointer events (mouse, touch, pen) ink the pad; `changed` runs after each stroke segment. */
function wirePad(pad: HTMLCanvasElement, pixels: Float32Array, changed: () => void): void {
  let last: [number, number] | null = null;
  const at = (event: PointerEvent): [number, number] => {
    const box = pad.getBoundingClientRect();
    return [((event.clientX - box.left) / box.width) * SIDE, ((event.clientY - box.top) / box.height) * SIDE];
  };
  pad.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    last = at(event);
    paintStroke(pixels, SIDE, last, last);
    changed();
  });
  pad.addEventListener('pointermove', (event) => {
    if (last === null) return;
    const next = at(event);
    paintStroke(pixels, SIDE, last, next);
    last = next;
    changed();
  });
  const end = (): void => {
    last = null;
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
}

/** The map on the canvas, sized to its box; the drawing's code as a black ring. Returns the frame used. */
function drawMap(canvas: HTMLCanvasElement, map: CodeMap, drawing: [number, number] | null): MapFrame {
  const cssWidth = Math.max(240, Math.min(640, canvas.parentElement?.clientWidth ?? 640));
  const width = Math.round(cssWidth * devicePixelRatio), height = Math.round(width * 0.75);
  if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
  canvas.style.width = `${cssWidth}px`;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('no 2D canvas context');
  const frame = mapFrame(map.points, drawing ? [drawing] : [], width, height, MAP_MARGIN * devicePixelRatio);
  context.clearRect(0, 0, width, height);
  const radius = 2.2 * devicePixelRatio;
  for (let n = 0; 2 * n + 1 < map.points.length; n++) {
    const [x, y] = frame.toScreen(map.points[2 * n], map.points[2 * n + 1]);
    context.fillStyle = pointColour(map.labels, n);
    context.fillRect(x - radius, y - radius, 2 * radius, 2 * radius);
  }
  if (drawing) {
    const [x, y] = frame.toScreen(drawing[0], drawing[1]);
    context.lineWidth = 3 * devicePixelRatio;
    context.strokeStyle = '#111827';
    context.beginPath();
    context.arc(x, y, 8 * devicePixelRatio, 0, 2 * Math.PI);
    context.stroke();
  }
  return frame;
}

function legendItems(map: CodeMap): (HTMLElement | string)[] {
  if (!map.labels) return ['Your data has no labels: every digit in one colour. ', ringKey()];
  return [...DIGIT_COLOURS.map((colour, digit) => swatch(colour, String(digit))), ringKey()];
}

function swatch(colour: string, text: string): HTMLElement {
  const box = el('span', { class: 'swatch' });
  box.style.background = colour;
  return el('span', { class: 'key' }, box, text);
}

function ringKey(): HTMLElement {
  return el('span', { class: 'key' }, el('span', { class: 'ring' }), 'your drawing');
}

/** The hovered digit beside its reconstruction. */
function showDigit(tip: HTMLElement, digit: NonNullable<PageState['digit']>): void {
  tip.dataset.index = String(digit.index);
  const canvas = el('canvas', { class: 'pixels' });
  drawImage(canvas, tileGrid([digit.input, digit.output], { columns: 2, scale: 'grey', gap: 1 }), 5);
  const what = digit.label === null ? `sample ${digit.index}` : `a ${digit.label}, sample ${digit.index}`;
  tip.replaceChildren(canvas, el('span', {}, `${what}: the digit, then its reconstruction`));
}
