import { linkWidth, type RecLinkConfig } from '../../src/model/config.js';

interface Box {
  x: number;
  y: number;
  symbol: string;
  sub: string;
  shape: string;
  kind: 'data' | 'main' | 'rec' | 'link';
}

const W = 130;
const H = 62;

/** The network as boxes and arrows, every tensor with its shape for a batch of N (the newcomer's map). */
export function architectureDiagram(config: RecLinkConfig): SVGSVGElement {
  const { inputSize: D, hiddenSize: Hd, cycles: T, linkStride: s } = config;
  const R = linkWidth(config);
  const boxes: Record<string, Box> = {
    x: { x: 10, y: 121, symbol: 'X', sub: '', shape: `N × ${D}`, kind: 'data' },
    zIn: { x: 300, y: 40, symbol: 'Z', sub: 'in', shape: `N × ${Hd}`, kind: 'main' },
    zRec: { x: 580, y: 40, symbol: 'Z', sub: 'rec(t)', shape: `N × ${Hd}`, kind: 'rec' },
    xRed: { x: 300, y: 202, symbol: 'X', sub: 'red', shape: `N × ${R}`, kind: 'link' },
    zLink: { x: 580, y: 202, symbol: 'Z', sub: 'link', shape: `N × ${Hd}`, kind: 'link' },
    s: { x: 810, y: 121, symbol: 'S', sub: '', shape: `N × ${Hd}`, kind: 'main' },
    y: { x: 1015, y: 121, symbol: 'Y', sub: '', shape: `N × ${D}`, kind: 'data' },
  };
  const right = (b: Box): [number, number] => [b.x + W, b.y + H / 2];
  const left = (b: Box): [number, number] => [b.x, b.y + H / 2];
  const { x, zIn, zRec, xRed, zLink, s: sum, y } = boxes;
  const edges = [
    arrow(right(x), left(zIn), label(`W_in ${Hd}×${D}, f`, zIn.x - 8, zIn.y + 8, 'end')),
    arrow(right(x), left(xRed), label(`${every(s)}: X K`, xRed.x - 8, xRed.y + H + 4, 'end')),
    arrow(right(zIn), left(zRec), label('W_rec, f', (zIn.x + W + zRec.x) / 2, zIn.y + H / 2 - 8, 'middle')),
    arrow(right(xRed), left(zLink), label(`W_link ${Hd}×${R}, f`, (xRed.x + W + zLink.x) / 2, xRed.y + H / 2 - 8, 'middle')),
    arrow(right(zRec), left(sum), label(`Z_rec(${T})`, sum.x - 10, sum.y - 18, 'end')),
    arrow(right(zLink), left(sum), ''),
    arrow(right(sum), left(y), label('W_out, g', (sum.x + W + y.x) / 2, sum.y + H / 2 - 8, 'middle')),
  ].join('');
  const loop = `<path class="loop" d="M ${zRec.x + W - 24} ${zRec.y} C ${zRec.x + W - 24} ${zRec.y - 38}, ${zRec.x + 24} ${zRec.y - 38}, ${zRec.x + 24} ${zRec.y - 4}" marker-end="url(#arrow)"/>
    ${label(`t = 1…${T}: input Z_in + Z_rec(t−1), the same W_rec ${Hd}×${Hd}`, zRec.x + W / 2, zRec.y - 36, 'middle')}`;
  const loss = `<text class="loss" x="${y.x + W / 2}" y="${y.y + H + 30}" text-anchor="middle">E = Σ (X − Y)²</text>
    ${label('the target is the input', y.x + W / 2, y.y + H + 50, 'middle')}`;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 -24 1180 310');
  svg.setAttribute('class', 'diagram');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `X (N×${D}) feeds an input layer Z_in (N×${Hd}) and, through ${every(s)}, a link layer Z_link (N×${Hd}); Z_in feeds a recurrent layer run ${T} times with shared weights; S = Z_rec(${T}) + Z_link feeds the output Y (N×${D}), trained to equal X.`);
  svg.innerHTML = `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>
    ${edges}${loop}${Object.values(boxes).map(box).join('')}${loss}`;
  return svg;
}

function box(b: Box): string {
  const sub = b.sub ? `<tspan class="sub" dy="5">${b.sub}</tspan>` : '';
  return `<g class="node ${b.kind}"><rect x="${b.x}" y="${b.y}" width="${W}" height="${H}" rx="9"/>
    <text x="${b.x + W / 2}" y="${b.y + 27}" text-anchor="middle" class="symbol">${b.symbol}${sub}</text>
    <text x="${b.x + W / 2}" y="${b.y + 51}" text-anchor="middle" class="shape">${b.shape}</text></g>`;
}

function arrow(from: [number, number], to: [number, number], text: string): string {
  const middle = (from[0] + to[0]) / 2;
  return `<path class="edge" d="M ${from[0]} ${from[1]} C ${middle} ${from[1]}, ${middle} ${to[1]}, ${to[0] - 2} ${to[1]}" marker-end="url(#arrow)"/>${text}`;
}

function label(text: string, x: number, y: number, anchor: 'start' | 'middle' | 'end'): string {
  return `<text class="edge" x="${x}" y="${y}" text-anchor="${anchor}">${text}</text>`;
}

/** `every 3rd input`. */
function every(n: number): string {
  if (n === 1) return 'every input';
  const suffix = n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th';
  return `every ${n}${suffix} input`;
}
