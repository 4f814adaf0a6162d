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

/** Flips switch h at position j. */
export function flipBit(seq: Int32Array, j: number, words: number, h: number): void {
  seq[j * words + (h >>> 5)] ^= 1 << (h & 31);
}

/** The sequence `src` of order j repeated to length k (k a multiple of j). */
export function tileSequence(src: Int32Array, j: number, k: number, words: number): Int32Array {
  const out = new Int32Array(k * words);
  for (let t = 0; t < k; t++) out.set(src.subarray((t % j) * words, (t % j + 1) * words), t * words);
  return out;
}

/** The least p dividing k such that the k regions of seq repeat every p. */
export function sequencePeriod(seq: Int32Array, k: number, words: number): number {
  for (let p = 1; p < k; p++) {
    if (k % p !== 0) continue;
    let periodic = true;
    for (let i = p * words; i < k * words && periodic; i++) periodic = seq[i] === seq[i - p * words];
    if (periodic) return p;
  }
  return k;
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
    const slot = this.find(seq);
    if (slot < 0) return false;
    const { len, scratch } = this;
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

  /** Whether seq (the first k positions) or a rotation of it is present. */
  has(seq: Int32Array): boolean {
    return this.find(seq) < 0;
  }

  /** Puts seq's canonical rotation in scratch; −1 when it is present, else the free slot for it. */
  private find(seq: Int32Array): number {
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
      if (idx < 0) return slot;
      const base = idx * len;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (this.pool[base + i] !== scratch[i]) {
          same = false;
          break;
        }
      }
      if (same) return -1;
      slot = (slot + 1) & mask;
    }
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

/** What a region's bits mean: H switches, then (with an output clip) 2M clip bits. */
export interface RegionLayout {
  readonly H: number;
  readonly M: number;
  readonly clip: boolean;
}

export function layoutOf(map: { H: number; M: number; clip?: unknown }): RegionLayout {
  return { H: map.H, M: map.M, clip: map.clip !== undefined };
}

export function layoutBits(l: RegionLayout): number {
  return l.H + (l.clip ? 2 * l.M : 0);
}

/**
 * The text of one region: a character per switch ('1' where u_h > 0), then with an output clip
 * '|' and a character per unit: '-' clipped at its lower bound, '+' at its upper one, '.' not.
 */
export function formatRegion(seq: Int32Array, offset: number, l: RegionLayout): string {
  let s = '';
  for (let h = 0; h < l.H; h++) s += (seq[offset + (h >>> 5)] >>> (h & 31)) & 1 ? '1' : '0';
  if (!l.clip) return s;
  s += '|';
  for (let i = 0; i < l.M; i++) {
    const lo = l.H + i;
    const hi = l.H + l.M + i;
    s += (seq[offset + (lo >>> 5)] >>> (lo & 31)) & 1 ? '-' : (seq[offset + (hi >>> 5)] >>> (hi & 31)) & 1 ? '+' : '.';
  }
  return s;
}

/** Writes the bits of a region's text (as formatRegion prints it) at `offset`; false when the text does not fit the layout. */
export function parseRegion(text: string, l: RegionLayout, out: Int32Array, offset: number): boolean {
  const words = wordsPerRegion(layoutBits(l));
  const want = l.H + (l.clip ? 1 + l.M : 0);
  if (text.length !== want || (l.clip && text[l.H] !== '|')) return false;
  for (let w = 0; w < words; w++) out[offset + w] = 0;
  const set = (b: number) => (out[offset + (b >>> 5)] |= 1 << (b & 31));
  for (let h = 0; h < l.H; h++) {
    const ch = text[h];
    if (ch === '1') set(h);
    else if (ch !== '0') return false;
  }
  for (let i = 0; l.clip && i < l.M; i++) {
    const ch = text[l.H + 1 + i];
    if (ch === '-') set(l.H + i);
    else if (ch === '+') set(l.H + l.M + i);
    else if (ch !== '.') return false;
  }
  return true;
}

/** The packed form of a region sequence given as texts; undefined when one does not fit. */
export function packSequence(regions: readonly string[], l: RegionLayout): Int32Array | undefined {
  const words = wordsPerRegion(layoutBits(l));
  const out = new Int32Array(regions.length * words);
  for (let j = 0; j < regions.length; j++) if (!parseRegion(regions[j], l, out, j * words)) return undefined;
  return out;
}

export function unpackSequence(seq: Int32Array, k: number, l: RegionLayout): string[] {
  const words = wordsPerRegion(layoutBits(l));
  return Array.from({ length: k }, (_, j) => formatRegion(seq, j * words, l));
}
