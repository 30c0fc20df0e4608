import { ReclinkError } from '../../errors.js';
import type { Matrix } from '../matrix.js';
import type { WasmHeap } from './heap.js';

/**
 * Scratch space in the memory, in numbered slots that grow on demand: copies of float32
 * matrices that live elsewhere (a user's input), and work space of the kernels.
 */
export class Staging {
  private readonly addresses: number[] = [];
  private readonly capacities: number[] = [];
  /** Whether the last `address` of each slot copied its matrix in. */
  private readonly staged: boolean[] = [];

  constructor(private readonly heap: WasmHeap) {}

  /** The address of `m`'s elements: its own storage when it lies in the memory, else a copy in `slot`. */
  address(m: Matrix, slot: number): number {
    const data = m.data;
    const own = this.heap.addressOf(data);
    this.staged[slot] = own < 0;
    if (own >= 0) return own;
    if (data instanceof Float64Array) throw new ReclinkError('the wasm kernels compute on float32 matrices, got a float64 one: give float64 matrices the js backend');
    const count = m.rows * m.cols;
    const at = this.reserve(slot, count);
    this.heap.view(at, count).set(data.subarray(0, count));
    return at;
  }

  /** Copies the result in `slot` back into `m`, if `m` was staged there by the last `address` of that slot. */
  writeBack(m: Matrix, slot: number): void {
    if (!this.staged[slot]) return;
    const count = m.rows * m.cols;
    m.data.set(this.heap.view(this.addresses[slot], count));
  }

  /** The address of at least `count` floats of scratch in `slot` (contents undefined). */
  reserve(slot: number, count: number): number {
    if (!(this.capacities[slot] >= count)) {
      // Doubling bounds the space left behind by outgrown slots (the heap never frees).
      const capacity = Math.max(count, 2 * (this.capacities[slot] ?? 0));
      this.addresses[slot] = this.heap.allocate(capacity * 4);
      this.capacities[slot] = capacity;
    }
    return this.addresses[slot];
  }
}
