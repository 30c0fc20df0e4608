import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ReclinkError } from '../errors.js';

/** Debian's Python, which has `python3-torch` (docs/pytorch-peer.md), not the first python3 on PATH. */
export const DEFAULT_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../bench/torch_peer.py', import.meta.url));

/** Whether `python` can import torch. */
export function torchAvailable(python: string): boolean {
  return spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/**
 * The PyTorch peer (`bench/torch_peer.py`), a process that times the same network on
 * request, so that its measurements interleave with reclink's. It runs as docs/pytorch-peer.md says a
 * fair peer does: the environment's OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (which force
 * slower kernels) unset and glibc kept from returning large buffers to the system every
 * step, for that process only.
 */
export class TorchPeer {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterator<string>,
    private readonly reader: Interface,
    /** torch.__version__. */
    readonly version: string,
    readonly threads: number,
  ) {}

  static async start(python: string, threads: number): Promise<TorchPeer> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OMP_NUM_THREADS: String(threads),
      MALLOC_MMAP_THRESHOLD_: '4294967296',
      MALLOC_TRIM_THRESHOLD_: '17179869184',
      MALLOC_TOP_PAD_: '268435456',
    };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const child = spawn(python, [SCRIPT, '--threads', String(threads)], { env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const reader = createInterface({ input: child.stdout });
    const lines = reader[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) throw new ReclinkError(`the PyTorch peer failed to start: ${stderr.trim() || 'no output'}`);
    const hello = JSON.parse(first.value) as { torch: string; threads: number };
    return new TorchPeer(child, lines, reader, hello.torch, hello.threads);
  }

  /** Samples per second of whole steps (`train`: forward, backward, SGD) over about `ms` milliseconds. */
  async measure(mode: 'train' | 'infer', batch: number, ms: number): Promise<number> {
    this.child.stdin.write(`${mode} ${batch} ${ms}\n`);
    const answer = await this.lines.next();
    if (answer.done) throw new ReclinkError(`the PyTorch peer ended while timing ${mode} at batch ${batch}`);
    return (JSON.parse(answer.value) as { samplesPerSec: number }).samplesPerSec;
  }

  /** Ends the process. */
  close(): void {
    this.reader.close();
    this.child.stdin.end();
    this.child.kill();
  }
}
