import { posix } from 'node:path';
import type { SourceHost } from '../../language/src/index.js';

/** Policy files held in memory; imports resolve as paths on disk would. */
export function memoryHost(files: Record<string, string>): SourceHost {
  return { read: (file) => files[file], resolve: (from, p) => posix.join(posix.dirname(from), p) };
}

/** A small vocabulary with every type, and an authority to cite. */
export const VOCABULARY = [
  'entity user',
  '  id: identifier',
  '  role: one of patron, staff, officer',
  '  age: integer = 30',
  '  friends: set of identifier = []',
  '  minor: boolean = false',
  '  cleared: boolean = false',
  'entity record',
  '  holder: identifier',
  '  tags: set of one of public, private = []',
  'authority law "Law"',
];

/** A rule's lines: its effect, id and condition, citing the law, in words. */
export const rule = (effect: string, id: string, when: string) => [
  `${effect} ${id}`,
  `  when ${when}`,
  '  because law',
  `  says "${id}."`,
];
