/**
 * Doc number by article id, in two typed arrays instead of a Map entry per article (a Map of a
 * million ids costs ~60 MB; this costs 8 bytes per article): open addressing on an FNV-1a hash of
 * the id, comparing against the ids column.
 */
export class IdTable {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly ids: readonly string[]) {
    let cap = 16;
    while (cap < ids.length * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let d = 0; d < ids.length; d++) {
      let i = hash(ids[d] as string) & this.mask;
      while (this.slots[i] !== -1) i = (i + 1) & this.mask;
      this.slots[i] = d;
    }
  }

  get(id: string): number | undefined {
    let i = hash(id) & this.mask;
    for (;;) {
      const d = this.slots[i] as number;
      if (d === -1) return undefined;
      if (this.ids[d] === id) return d;
      i = (i + 1) & this.mask;
    }
  }
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
