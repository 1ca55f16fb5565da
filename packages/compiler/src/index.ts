export type { LoweredPolicy } from './compile.js';
export { artifactHash, compile, lower } from './compile.js';
export { atomLabel, toDot } from './dot.js';
export type { ExampleCase } from './examples.js';
export { examplesOf } from './examples.js';
export type { Formula } from './formula.js';
export type { JsonLogic, JsonLogicExport } from './json-logic.js';
export { toJsonLogic } from './json-logic.js';
