import type { RecLinkNet } from '../model/reclink-net.js';
import { writeFileAtomic } from './atomic-write.js';
import { readBytes } from './bytes.js';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint, type CheckpointExtras, type LoadCheckpointOptions } from './checkpoint-format.js';

// The format itself, without the file system (the browser lab uses it too).
export * from './checkpoint-format.js';

/** Saves `net`'s weights (as float32), its config and `extras` to `path`, atomically; refuses a value that is not finite. */
export function saveCheckpoint(path: string, net: RecLinkNet, extras: CheckpointExtras = {}): void {
  writeFileAtomic(path, encodeCheckpoint(net, extras, path));
}

/** Loads a checkpoint (or a plain safetensors file of the model's tensors) from `path`. */
export function loadCheckpoint(path: string, options: LoadCheckpointOptions = {}): Checkpoint {
  return decodeCheckpoint(readBytes(path), path, options);
}
