// A small deterministic generator (mulberry32): the same sequence for the same seed, so model initialisation,
// shuffles, negative sampling, simulated worlds and fuzz inputs repeat run after run. No dependencies, so serving
// code, benchmarks and tests can all use it.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
