// npm run bench [-- --json]: reclink against TensorFlow.js and PyTorch, through the compiled package.
import { formatBench, runBench } from '../dist/index.js';

const json = process.argv.includes('--json');
const report = await runBench({ onProgress: (message) => process.stderr.write(`  ${message}\n`) });
console.log(json ? JSON.stringify({ results: report.results, peak: report.peak, notes: report.notes }, null, 2) : formatBench(report));
