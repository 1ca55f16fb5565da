import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Refusal, SourceHost } from '@tenet/language';
import { ioReason, UsageError } from './context.js';

/**
 * The text of every policy file the CLI has read, by the name its diagnostics' spans carry. The reporter quotes
 * code frames from here alone and never reads a file itself, so it can quote nothing a host did not allow (and
 * quotes the text that was checked, even if the file has changed since).
 */
const policies = new Map<string, string>();

/** The text of the policy file `file`, if a host of the CLI has read it; undefined for any other file. */
export function policyText(file: string): string | undefined {
  return policies.get(file);
}

/** The text of `file`, or undefined when it is not a file that can be read. */
function readText(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The text of the policy file `file`; undefined when there is none; why not, when it is there but unreadable. */
function readPolicy(file: string): string | Refusal | undefined {
  try {
    if (statSync(file).isDirectory())
      return { refused: 'unreadable', reason: 'it is a folder', help: 'name a `.policy` file' };
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    return { refused: 'unreadable', reason: ioReason(error) };
  }
}

/**
 * Reads a file named on the command line (a policy to format, an artifact to load): any file, since the person
 * who named it chose it. Never used for imports: that is {@link policyHost}'s work.
 */
export const fileHost = {
  /** The text of `file`, or undefined when there is no such file. */
  read(file: string): string | undefined {
    const text = readText(file);
    if (text !== undefined && file.endsWith('.policy')) policies.set(file, text);
    return text;
  },
};

/** Whether `file` is `root` or inside it; both absolute and normalised. */
function within(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
  );
}

/** Files whose folder is a project's root: where a policy run from a folder of the project may import from. */
const PROJECT_MARKERS = ['package.json', '.git'];

/** The project the current folder is in: the nearest folder, from it up, that holds a marker; else itself. */
function projectFolder(): string {
  const here = process.cwd();
  for (let folder = here; ; folder = path.dirname(folder)) {
    if (PROJECT_MARKERS.some((marker) => existsSync(path.join(folder, marker)))) return folder;
    if (path.dirname(folder) === folder) return here;
  }
}

/**
 * The folder a policy is confined to when no `--root` is named: the project the current folder is in (the nearest
 * folder up that holds a `package.json` or `.git`, else the current folder), when the policy is under it (so that
 * policies share files such as a state's authorities, from whichever of the project's folders the command is run);
 * otherwise the policy's own folder.
 */
function defaultRoot(entry: string): string {
  const project = projectFolder();
  return within(project, path.resolve(entry)) ? project : path.dirname(path.resolve(entry));
}

/** A {@link SourceHost} that reads policies from disk, confined to one folder. */
export interface PolicyHost extends SourceHost {
  /** The folder every file read must be in (after symbolic links are followed), absolute. */
  readonly root: string;
}

/** How {@link policyHost} is confined. */
export interface PolicyHostOptions {
  /** The folder to confine reads to (`--root`); by default the current project's or the entry's (see {@link policyHost}). */
  root?: string | undefined;
}

/**
 * Reads a policy and its imports from disk, confined to a root folder: `options.root`, or by default the project
 * the current folder is in (the nearest folder up holding a `package.json` or `.git`, else the current folder) when
 * `entry` is under it, else the folder of `entry`. A file is read only when its name ends in `.policy` and it is inside the root, both as written and
 * once every symbolic link in its path is followed (so no link can lead out); any other is refused, unread. Import
 * paths are relative to the importing file.
 *
 * @example
 * const { value, diagnostics } = checkPolicy('policies/p.policy', policyHost('policies/p.policy', { root: 'policies' }));
 */
export function policyHost(entry: string, options: PolicyHostOptions = {}): PolicyHost {
  const root = path.resolve(options.root ?? defaultRoot(entry));
  let realRoot: string | undefined;
  try {
    realRoot = statSync(root).isDirectory() ? realpathSync(root) : undefined;
  } catch {
    // No such folder: then no file is inside it either.
  }
  if (options.root !== undefined && realRoot === undefined)
    throw new UsageError(`the root \`${options.root}\` is not a folder`);
  const relative = path.relative(process.cwd(), root);
  const shownRoot = relative === '' ? '.' : relative.startsWith('..') ? root : relative;
  const outside = (file: string, linked: boolean): Refusal => ({
    refused: 'outside-root',
    help:
      file === entry
        ? 'name a root that holds it with `--root <dir>`'
        : `${linked ? 'it is a symbolic link to a file outside' : 'a policy imports only from under'} \`${shownRoot}\`: move the file there, or name a wider root with \`--root <dir>\``,
  });
  return {
    root,
    read(file) {
      if (!file.endsWith('.policy')) return { refused: 'not-a-policy' };
      const absolute = path.resolve(file);
      // Refused before the file system is asked anything: of a file outside the root, not even whether it exists.
      if (!within(root, absolute) && !(realRoot !== undefined && within(realRoot, absolute)))
        return outside(file, false);
      if (realRoot === undefined) return undefined;
      let real: string;
      try {
        real = realpathSync(absolute);
      } catch (error) {
        return (error as { code?: unknown }).code === 'ENOENT'
          ? undefined
          : { refused: 'unreadable', reason: ioReason(error) };
      }
      if (!within(realRoot, real)) return outside(file, true);
      if (!real.endsWith('.policy')) {
        return {
          refused: 'not-a-policy',
          help: 'it is a symbolic link to a file that is not a `.policy` file: import the policy itself',
        };
      }
      const text = readPolicy(real);
      if (typeof text === 'string') policies.set(file, text);
      return text;
    },
    resolve(from, target) {
      return path.isAbsolute(target)
        ? path.normalize(target)
        : path.normalize(path.join(path.dirname(from), target));
    },
  };
}
