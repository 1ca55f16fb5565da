import { describe, expect, it } from 'vitest';
import { closest, listNames } from '../src/suggest.js';

describe('closest', () => {
  it('suggests the candidate one letter away', () => {
    expect(closest('stafff', ['patron', 'staff', 'other'])).toBe('staff');
    expect(closest('notfy', ['notify', 'notice'])).toBe('notify');
  });

  it('counts a swap of neighbouring letters as one edit', () => {
    expect(closest('recieve', ['receive'])).toBe('receive');
    expect(closest('mnior', ['minor', 'role'])).toBe('minor');
  });

  it('suggests a candidate that differs only in case, whatever its distance from the others', () => {
    expect(closest('goodcauseshown', ['goodCauseShow', 'goodCauseShown'])).toBe('goodCauseShown');
    expect(closest('Staff', ['staff'])).toBe('staff');
  });

  it('allows one edit in a short word', () => {
    expect(closest('x', ['y'])).toBe('y');
    expect(closest('ab', ['cd'])).toBeUndefined();
  });

  it('allows a third of the letters to change, and no more', () => {
    expect(closest('abcdef', ['abcdxy'])).toBe('abcdxy');
    expect(closest('abcdef', ['abcxyz'])).toBeUndefined();
  });

  it('skips candidates more than three letters longer or shorter', () => {
    expect(closest('abcdefghi', ['abcdefghijkl'])).toBe('abcdefghijkl');
    expect(closest('abcdefghi', ['abcdefghijklm'])).toBeUndefined();
  });

  it('keeps the first of equally close candidates', () => {
    expect(closest('cat', ['bat', 'cap'])).toBe('bat');
  });

  it('suggests nothing from no candidates', () => {
    expect(closest('staff', [])).toBeUndefined();
  });

  it('suggests nothing for a word longer than 64 letters', () => {
    expect(closest('a'.repeat(64), ['a'.repeat(64)])).toBe('a'.repeat(64));
    expect(closest('a'.repeat(65), ['a'.repeat(65)])).toBeUndefined();
  });

  it('takes any iterable of candidates', () => {
    expect(closest('stafff', new Set(['patron', 'staff']).values())).toBe('staff');
  });
});

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
