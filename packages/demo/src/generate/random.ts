import crypto from 'node:crypto';

/** A seeded pseudo-random source: the same seed gives the same sequence. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[];
  /** An independent source for one part of the output (so parts do not shift each other). */
  fork(label: string): Random;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), seeded from
 * the SHA-256 of the seed string. Node's Math.random cannot be seeded.
 */
export function createRandom(seed: string): Random {
  const h = crypto.createHash('sha256').update(seed).digest();
  let a = h.readUInt32LE(0);
  let b = h.readUInt32LE(4);
  let c = h.readUInt32LE(8);
  let d = h.readUInt32LE(12);
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs, which sfc32 mixes poorly.
  for (let i = 0; i < 15; i++) next();
  const random: Random = {
    next,
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1));
    },
    chance(p) {
      return next() < p;
    },
    pick(items) {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)];
    },
    sample(items, count) {
      const pool = [...items];
      for (let i = pool.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      return pool.slice(0, count);
    },
    fork(label) {
      return createRandom(`${seed}/${label}`);
    },
  };
  return random;
}

/** A deterministic hex id (e.g. a commit sha) for a label under a seed. */
export function hexId(seed: string, label: string, length = 40): string {
  return crypto
    .createHash('sha256')
    .update(`${seed}\0${label}`)
    .digest('hex')
    .slice(0, length);
}
