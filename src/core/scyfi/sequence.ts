/**
 * Region sequences d_1 … d_k packed as bits: position j occupies `words` 32-bit words starting
 * at j·words, switch h is bit (h mod 32) of word ⌊h/32⌋. A cycle and its cyclic shifts are the
 * same cycle, so sets of sequences store one canonical rotation of each.
 */

export function wordsPerRegion(H: number): number {
  return Math.max(1, Math.ceil(H / 32));
}

export function getBit(seq: Int32Array, j: number, words: number, h: number): number {
  return (seq[j * words + (h >>> 5)] >>> (h & 31)) & 1;
}

/** Compares rotation r of seq with rotation s, position by position (lexicographic on words). */
function compareRotations(seq: Int32Array, k: number, words: number, r: number, s: number): number {
  for (let j = 0; j < k; j++) {
    const a = ((r + j) % k) * words;
    const b = ((s + j) % k) * words;
    for (let w = 0; w < words; w++) {
      const x = seq[a + w] >>> 0;
      const y = seq[b + w] >>> 0;
      if (x !== y) return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** The rotation (first position) that makes seq lexicographically smallest. */
export function canonicalRotation(seq: Int32Array, k: number, words: number): number {
  let best = 0;
  for (let r = 1; r < k; r++) if (compareRotations(seq, k, words, r, best) < 0) best = r;
  return best;
}

/**
 * An exact hash set of region sequences of one length, up to rotation: open addressing over a
 * growing pool of packed words, so nothing is allocated per lookup and collisions are resolved
 * by comparing the words themselves.
 */
export class SequenceSet {
  private readonly len: number;
  private slots: Int32Array;
  private pool: Int32Array;
  private count = 0;
  private readonly scratch: Int32Array;

  constructor(
    private readonly k: number,
    private readonly words: number,
  ) {
    this.len = k * words;
    this.slots = new Int32Array(1024).fill(-1);
    this.pool = new Int32Array(512 * this.len);
    this.scratch = new Int32Array(this.len);
  }

  get size(): number {
    return this.count;
  }

  /** Adds seq (the first k positions) unless it or a rotation is present; true when it was new. */
  add(seq: Int32Array): boolean {
    const { k, words, len, scratch } = this;
    const r = canonicalRotation(seq, k, words);
    for (let j = 0; j < k; j++) {
      const src = ((r + j) % k) * words;
      for (let w = 0; w < words; w++) scratch[j * words + w] = seq[src + w];
    }
    let hash = 0x811c9dc5;
    for (let i = 0; i < len; i++) {
      hash = Math.imul(hash ^ scratch[i], 0x01000193);
      hash ^= hash >>> 15;
    }
    const mask = this.slots.length - 1;
    let slot = (hash >>> 0) & mask;
    for (;;) {
      const idx = this.slots[slot];
      if (idx < 0) break;
      const base = idx * len;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (this.pool[base + i] !== scratch[i]) {
          same = false;
          break;
        }
      }
      if (same) return false;
      slot = (slot + 1) & mask;
    }
    if ((this.count + 1) * len > this.pool.length) {
      const grown = new Int32Array(this.pool.length * 2);
      grown.set(this.pool);
      this.pool = grown;
    }
    this.pool.set(scratch, this.count * len);
    this.slots[slot] = this.count;
    this.count++;
    if (this.count * 2 > this.slots.length) this.rehash();
    return true;
  }

  private rehash(): void {
    const { len } = this;
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let idx = 0; idx < this.count; idx++) {
      let hash = 0x811c9dc5;
      for (let i = 0; i < len; i++) {
        hash = Math.imul(hash ^ this.pool[idx * len + i], 0x01000193);
        hash ^= hash >>> 15;
      }
      let slot = (hash >>> 0) & mask;
      while (slots[slot] >= 0) slot = (slot + 1) & mask;
      slots[slot] = idx;
    }
    this.slots = slots;
  }
}
