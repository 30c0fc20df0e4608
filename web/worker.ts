// The training worker: runs a LabLoop, so that the page never waits for a step.
import { ReclinkError } from '../src/errors.js';
import { DEFAULT_CONFIG } from '../src/model/config.js';
import { BUNDLED_DIGITS_URL, bundledDataset, fileDataset } from '../src/lab/data-files.js';
import { LabLoop } from '../src/lab/loop.js';
import type { LabCommand, LabEvent } from '../src/lab/protocol.js';
import { makeBackend } from './backend.js';
import { decodePng } from './png-decoder.js';

/** The part of a dedicated worker's global scope used here (the DOM library types `self` as a window). */
interface WorkerScope {
  postMessage(event: LabEvent): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<LabCommand>) => void): void;
}

const scope = self as unknown as WorkerScope;

// A message to ourselves runs a task after the messages already queued, without the 4 ms
// clamp of nested timers: `pause` gets through between two slices of training.
const tasks: (() => void)[] = [];
const channel = new MessageChannel();
channel.port1.onmessage = () => tasks.shift()?.();

const loop = new LabLoop({
  post: (event) => scope.postMessage(event),
  defer: (task) => {
    tasks.push(task);
    channel.port2.postMessage(null);
  },
  now: () => performance.now(),
  makeBackend,
  loadBundled: async () => bundledDataset(await fetchBytes(new URL(BUNDLED_DIGITS_URL, import.meta.url))),
  loadFiles: (files) => fileDataset(files, DEFAULT_CONFIG.inputSize, decodePng),
});

scope.addEventListener('message', (event) => void loop.handle(event.data));

async function fetchBytes(url: URL): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new ReclinkError(`cannot load ${url.pathname} (HTTP ${response.status}), expected the bundled digits at the root of the site`);
  return new Uint8Array(await response.arrayBuffer());
}
