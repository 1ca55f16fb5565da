export type { LoweredPolicy } from './compile.js';
export { artifactHash, compile, lower } from './compile.js';
export type { ExampleCase } from './examples.js';
export { examplesOf } from './examples.js';
export type { Formula } from './formula.js';
