import { describe, expect, it } from 'vitest';
import { PolicyParser } from '../src/parser.js';

describe('PolicyParser', () => {
  // The parser every process uses skips these checks to start faster (see its constructor): they are run here.
  it('passes Chevrotain’s checks of the grammar (no ambiguity, no left recursion)', () => {
    expect(() => new PolicyParser({ validate: true })).not.toThrow();
  });
});
