import { describe, expect, it } from 'vitest';
import { listNames } from '../src/suggest.js';

describe('listNames', () => {
  it('lists names in backticks, the last after `or`', () => {
    expect(listNames([])).toBe('');
    expect(listNames(['patron'])).toBe('`patron`');
    expect(listNames(['patron', 'staff'])).toBe('`patron` or `staff`');
    expect(listNames(['patron', 'staff', 'other'])).toBe('`patron`, `staff` or `other`');
  });

  it('shortens a list longer than its limit, counting the names', () => {
    expect(listNames(['a', 'b', 'c', 'd'], 2)).toBe('`a`, `b`, … (4 in all)');
  });
});
