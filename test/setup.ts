/**
 * Property tests run with a fixed seed in CI, so that a submission's CI run is repeatable; locally each run draws a
 * new seed, so that running the tests keeps exploring. Either way fast-check prints the seed (and the path to the
 * shrunk case) when a property fails: rerun it with `TENET_FUZZ_SEED=<seed>`.
 */
import fc from 'fast-check';

const given = process.env.TENET_FUZZ_SEED;
if (given !== undefined) fc.configureGlobal({ seed: Number(given) });
else if (process.env.CI) fc.configureGlobal({ seed: 20_261_128 });
