import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { encodeMnist15 } from './mnist15-format.js';
import { AreaResampler } from './resample.js';
import { ReclinkError } from '../errors.js';

const MNIST = { height: 28, width: 28 };
const MNIST15 = { height: 15, width: 15 };

/** The folder of the `mnist` package's digits: `<d>.json` holds `{"data": [...]}`, 784 values in [0, 1] a sample. */
export function mnistDigitsFolder(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
}

/**
 * The bundled data set's file, built from the `mnist` package: its 10,000 digits resampled
 * from 28×28 to 15×15 by area averaging. Samples are ordered digit by digit (all the 0s,
 * then the 1s, ...), each digit in the package's order.
 */
export function buildMnist15(digitsFolder = mnistDigitsFolder()): Uint8Array {
  const resampler = new AreaResampler(MNIST, MNIST15);
  const size = MNIST15.height * MNIST15.width;
  const digits = Array.from({ length: 10 }, (_, digit) => readDigit(join(digitsFolder, `${digit}.json`)));
  const count = digits.reduce((sum, samples) => sum + samples.length / (MNIST.height * MNIST.width), 0);
  const pixels = new Float64Array(count * size);
  const labels = new Uint8Array(count);
  let n = 0;
  digits.forEach((samples, digit) => {
    for (let start = 0; start < samples.length; start += MNIST.height * MNIST.width, n++) {
      resampler.resample(samples.subarray(start, start + MNIST.height * MNIST.width), pixels, n * size);
      labels[n] = digit;
    }
  });
  return encodeMnist15({ ...MNIST15, pixels, labels });
}

function readDigit(file: string): Float64Array {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const data = typeof parsed === 'object' && parsed !== null && 'data' in parsed ? parsed.data : undefined;
  if (!Array.isArray(data) || data.length % (MNIST.height * MNIST.width) !== 0 || !data.every((v) => typeof v === 'number')) {
    throw new ReclinkError(`${file}: expected {"data": [...]} with 784 numbers a sample`);
  }
  return Float64Array.from(data);
}
