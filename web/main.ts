import katex from 'katex';
import 'katex/dist/katex.min.css';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { summarize, formatSummary } from '../src/model/summary.js';
import { resolveConfig } from '../src/model/config.js';

const app = document.getElementById('app');
if (app) {
  app.innerHTML = `<pre>${formatSummary(summarize(resolveConfig(), 64))}</pre><div id=k></div>`;
  katex.render('E = \\sum_n \\sum_k (x_{nk} - y_{nk})^2', document.getElementById('k') as HTMLElement);
  console.log(typeof uPlot);
}
