import { resolveConfig } from '../../src/model/config.js';
import { el } from '../dom.js';
import { architectureDiagram } from './diagram.js';
import type { PageActions, PageState, View } from './view.js';

/** The first view: what the network is, in plain words, and how to use the lab. */
export function introView(actions: PageActions): View {
  const figure = el('figure', { class: 'diagram-figure' }, architectureDiagram(resolveConfig()), el('figcaption', {}, 'The network for a batch of N images, with the cycles T in use. f is ReLU; g is the output activation (ReLU in the exercise).'));
  let drawn = JSON.stringify(resolveConfig());
  const start = el('button', { type: 'button', class: 'primary big' }, 'Start training');
  start.addEventListener('click', () => {
    actions.send({ type: 'start' });
    actions.show('train');
  });
  const panel = el(
    'section',
    { class: 'prose' },
    el('h2', {}, 'A network that learns to redraw what it sees'),
    el(
      'p',
      { class: 'lead' },
      'This lab trains one small neural network, the recurrent-link autoencoder of a deep-learning course exercise. ',
      'It is shown 15 × 15 grey images of handwritten digits and must draw the same image again. ',
      'The image has to pass through 75 hidden numbers on the way, so the network must learn what digits have in common.',
    ),
    figure,
    el(
      'ul',
      { class: 'parts' },
      part('Input layer', ': 75 units, each a weighted sum of all 225 pixels plus a bias, then ReLU: Z_in.'),
      part('Recurrent layer', ': the same 75 × 75 weights applied T times (twice in the exercise); each cycle adds Z_in to the previous result. Reusing the weights is what makes it recurrent.'),
      part('Link layer', ': a shortcut that reads only every third pixel (75 of the 225) and maps them to 75 units.'),
      part('Output layer', ': S = Z_rec(T) + Z_link is mapped back to 225 pixels: Y, the reconstruction.'),
      part('Loss', ': E, the sum of squared differences between the input and its reconstruction. Backpropagation, derived by hand in the exercise, gives the gradient of E for every weight, and the optimizer follows it downhill.'),
    ),
    el('h3', {}, 'Try it'),
    el(
      'ol',
      {},
      el('li', {}, 'Press ', el('strong', {}, 'Train'), ' (or ', el('kbd', {}, 'Space'), '). The loss falls within seconds in the Training view, and the reconstructions sharpen.'),
      el('li', {}, 'Pause with ', el('kbd', {}, 'Space'), ', take one step with ', el('kbd', {}, '.'), ', start again from fresh weights with ', el('kbd', {}, 'r'), '. Change the optimizer or the learning rate on the left at any time.'),
      el('li', {}, el('strong', {}, 'Weights'), ' shows what each unit looks for; ', el('strong', {}, 'Inside a sample'), ' every activation and delta of one digit; ', el('strong', {}, 'Derivation'), ' each equation with the numbers of the current batch; ', el('strong', {}, 'Errata'), ' what goes wrong with the exercise\u2019s literal formulas.'),
    ),
    el('p', {}, start),
  );
  return {
    id: 'intro',
    title: 'Start here',
    panel,
    update({ snapshot }: PageState) {
      if (!snapshot) return;
      const key = JSON.stringify(snapshot.config);
      if (key === drawn) return;
      drawn = key;
      figure.firstElementChild?.replaceWith(architectureDiagram(snapshot.config));
    },
  };
}

function part(name: string, text: string): HTMLLIElement {
  return el('li', {}, el('strong', {}, name), text);
}
