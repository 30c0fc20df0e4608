/**
 * `reclink/bench`: the speed benchmark of `reclink bench` (reclink against TensorFlow.js and
 * PyTorch, measured in one run) and its table.
 *
 * @module reclink/bench
 */
export { runBench, FLOPS_PER_SAMPLE, type BenchOptions, type BenchResult, type BenchReport } from './run-bench.js';
export { formatBench } from './format-bench.js';
