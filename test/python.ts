import { DEFAULT_PYTHON, torchAvailable } from '../src/bench/torch-peer.js';

/**
 * The Python the PyTorch tests run: RECLINK_PYTHON, else Debian's /usr/bin/python3 (where
 * `.ci/run` installs python3-torch). A path without torch makes those tests skip, and under
 * CI=true the run fail (test/no-skips-in-ci.ts).
 */
export const PYTHON = process.env.RECLINK_PYTHON ?? DEFAULT_PYTHON;

/** Whether `PYTHON` imports torch. */
export const HAS_TORCH = torchAvailable(PYTHON);

if (!HAS_TORCH) console.log(`PyTorch tests skipped: ${PYTHON} cannot import torch (apt-get install -y python3-torch); under CI=true the run fails`);
