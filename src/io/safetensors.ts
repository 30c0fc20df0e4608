import { writeFileAtomic } from './atomic-write.js';
import { readBytes } from './bytes.js';
import { parseSafetensors, serializeSafetensors, type Safetensors, type TensorToWrite } from './safetensors-format.js';

// The format itself, without the file system (the browser lab uses it too).
export * from './safetensors-format.js';

/** Reads and checks the safetensors file at `path`. */
export function readSafetensors(path: string): Safetensors {
  return parseSafetensors(readBytes(path), path);
}

/** Writes tensors (F32) and metadata to `path` atomically. */
export function writeSafetensors(path: string, tensors: ReadonlyMap<string, TensorToWrite>, metadata: Readonly<Record<string, string>> = {}): void {
  writeFileAtomic(path, serializeSafetensors(tensors, metadata));
}
