import { ReclinkError } from '../../errors.js';

const PAGE_BYTES = 65536;
/** Allocations start on cache lines. */
const ALIGN = 64;
/**
 * Bytes left free after every allocation: a kernel may read a vector past the end of a row
 * (it never stores there), so reads past the last row stay inside the memory.
 */
const PADDING = 64;

/**
 * Float32 storage in one shared WebAssembly memory, handed out by a bump allocator that
 * never frees (storage lives as long as the backend). The memory is shared and has a
 * maximum size, so growing it never detaches the views already handed out, and worker
 * threads can compute on it.
 */
export class WasmHeap {
  private top: number;
  private floats: Float32Array;
  /** Every buffer object the memory has had: a view on any of them is ours. */
  private readonly buffers = new Set<ArrayBufferLike>();
  /** Views already looked at: their address, or −1 when they lie elsewhere. */
  private readonly addresses = new WeakMap<ArrayBufferView, number>();

  /**
   * Allocates in [base, maxBytes): the whole memory, or a region another heap set aside,
   * which `region` names in the error when it is full.
   */
  constructor(
    readonly memory: WebAssembly.Memory,
    private readonly base: number,
    private readonly maxBytes: number,
    private readonly region: string | null = null,
  ) {
    this.top = roundUp(base, ALIGN);
    this.floats = this.refresh();
  }

  /** Allocates `bytes` (zeroed) and returns their address. */
  allocate(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new ReclinkError(`cannot allocate ${bytes} bytes, expected a non-negative integer`);
    const at = this.top;
    const end = at + roundUp(bytes, ALIGN) + PADDING;
    if (end > this.maxBytes) {
      throw new ReclinkError(
        this.region === null
          ? `the WebAssembly memory is full: ${end} bytes needed, at most ${this.maxBytes} available`
          : `${this.region} is full: ${end - this.base} bytes needed, ${this.maxBytes - this.base} available`,
      );
    }
    if (end > this.memory.buffer.byteLength) this.grow(end);
    this.top = end;
    return at;
  }

  /** `count` zeroed floats of new storage. */
  allocateFloats(count: number): Float32Array {
    return this.view(this.allocate(count * 4), count);
  }

  /** The floats at [address, address + 4·count). */
  view(address: number, count: number): Float32Array {
    const end = (address >> 2) + count;
    // Another thread may have grown the memory since this heap last looked.
    if (end > this.floats.length) this.floats = this.refresh();
    return this.floats.subarray(address >> 2, end);
  }

  /**
   * The address of `data` when it lies in this memory, else −1. Remembered per view:
   * reading `buffer` of a view on shared memory costs V8 far more than a lookup.
   */
  addressOf(data: ArrayBufferView): number {
    let address = this.addresses.get(data);
    if (address === undefined) {
      address = this.buffers.has(data.buffer) ? data.byteOffset : -1;
      this.addresses.set(data, address);
    }
    return address;
  }

  private grow(end: number): void {
    this.memory.grow(Math.ceil((end - this.memory.buffer.byteLength) / PAGE_BYTES));
    this.floats = this.refresh();
  }

  private refresh(): Float32Array {
    const buffer = this.memory.buffer;
    this.buffers.add(buffer);
    return new Float32Array(buffer);
  }
}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}
