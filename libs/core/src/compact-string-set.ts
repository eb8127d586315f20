/** What a duplicate check needs of a set of strings (a `Set<string>` is one). */
export interface StringLookup {
  has(value: string): boolean;
}

const EMPTY = 0;
const LENGTH_BYTES = 4;

/** FNV-1a over the UTF-16 code units (no encoding needed to hash). */
function hashOf(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash = Math.imul(hash ^ value.charCodeAt(i), 0x01000193);
  }
  return hash >>> 0;
}

/**
 * An exact set of strings kept off the JavaScript heap: the strings' UTF-16 bytes in one growing
 * buffer, and an open-addressing table of their offsets and hashes. A 250,000-row roll's employee
 * and card numbers cost about 40 bytes each here against 70–90 in a `Set<string>`, and, being
 * outside the heap, they do not raise the garbage collector's heap limit (V8 lets the heap grow
 * to a multiple of what survives a collection, so every live megabyte costs several of RSS).
 */
export class CompactStringSet implements StringLookup {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  /** offset + 1 of each entry in `bytes`; 0 is an empty slot */
  private slots = new Int32Array(1024);
  private hashes = new Uint32Array(1024);
  private count = 0;
  private scratch = Buffer.allocUnsafe(256);

  constructor(values: Iterable<string> = []) {
    for (const value of values) this.add(value);
  }

  get size(): number {
    return this.count;
  }

  has(value: string): boolean {
    const hash = hashOf(value);
    return this.slots[this.find(value, hash, this.encode(value))] !== EMPTY;
  }

  add(value: string): this {
    const hash = hashOf(value);
    const length = this.encode(value);
    const slot = this.find(value, hash, length);
    if (this.slots[slot] !== EMPTY) return this;
    this.reserve(LENGTH_BYTES + length);
    this.bytes.writeUInt32LE(length, this.used);
    this.scratch.copy(this.bytes, this.used + LENGTH_BYTES, 0, length);
    this.slots[slot] = this.used + 1;
    this.hashes[slot] = hash;
    this.used += LENGTH_BYTES + length;
    this.count += 1;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return this;
  }

  /** `value` as UTF-16 bytes in the scratch buffer (exact for any string, lone surrogates too). */
  private encode(value: string): number {
    const length = value.length * 2;
    if (length > this.scratch.length) this.scratch = Buffer.allocUnsafe(length * 2);
    return this.scratch.write(value, 0, 'utf16le');
  }

  /** The slot holding `value`, or the empty slot where it would go. */
  private find(value: string, hash: number, length: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] ?? EMPTY;
      if (entry === EMPTY) return slot;
      if (this.hashes[slot] !== hash) continue;
      const offset = entry - 1;
      if (
        this.bytes.readUInt32LE(offset) === length &&
        this.scratch.compare(
          this.bytes,
          offset + LENGTH_BYTES,
          offset + LENGTH_BYTES + length,
          0,
          length,
        ) === 0
      )
        return slot;
    }
  }

  private reserve(extra: number): void {
    if (this.used + extra <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + extra));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }

  private rehash(capacity: number): void {
    const { slots, hashes } = this;
    this.slots = new Int32Array(capacity);
    this.hashes = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let i = 0; i < slots.length; i++) {
      const entry = slots[i] ?? EMPTY;
      if (entry === EMPTY) continue;
      const hash = hashes[i] ?? 0;
      let slot = hash & mask;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.slots[slot] = entry;
      this.hashes[slot] = hash;
    }
  }
}
