// Build step (`npm run build`): writes the bundled data set, data/mnist15.bin, from the
// `mnist` package, atomically.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { buildMnist15 } from './mnist15-build.js';
import { MNIST15_PATH } from './mnist15.js';

const bytes = buildMnist15();
mkdirSync(dirname(MNIST15_PATH), { recursive: true });
writeFileAtomic(MNIST15_PATH, bytes);
console.log(`wrote ${MNIST15_PATH} (${bytes.length} bytes)`);
