// Build step (`npm run build`): writes the bundled data set, data/mnist15.bin, from the
// `mnist` package, atomically (a temporary file in the same folder, then a rename).
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildMnist15 } from './mnist15-build.js';
import { MNIST15_PATH } from './mnist15.js';

const bytes = buildMnist15();
const temporary = `${MNIST15_PATH}.${process.pid}.tmp`;
mkdirSync(dirname(MNIST15_PATH), { recursive: true });
try {
  writeFileSync(temporary, bytes);
  renameSync(temporary, MNIST15_PATH);
} finally {
  rmSync(temporary, { force: true });
}
console.log(`wrote ${MNIST15_PATH} (${bytes.length} bytes)`);
