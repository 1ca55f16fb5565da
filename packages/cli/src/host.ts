import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceHost } from '@tenet/language';

/** Reads policy files from disk; import paths are relative to the importing file. */
export const fileHost: SourceHost = {
  read(file) {
    try {
      return statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
  resolve(from, target) {
    return path.isAbsolute(target)
      ? path.normalize(target)
      : path.normalize(path.join(path.dirname(from), target));
  },
};
