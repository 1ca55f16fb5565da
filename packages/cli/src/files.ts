import { type Dirent, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceHost } from '@tenet/language';
import { decodeUtf8 } from '@tenet/runtime';
import { type Context, ioReason, readChunks, UsageError } from './context.js';
import { policyHost } from './host.js';

/** The name a policy read from standard input carries in diagnostics and reports. */
export const STDIN = '<stdin>';

/** A policy a command is to read, as {@link policyFiles} lists it. */
export interface PolicyFile {
  /** The path as named, or as found under a folder named (`policies/wethersfield/confidentiality.policy`); `<stdin>` for standard input. */
  file: string;
  /**
   * Whether it was found under a folder rather than named: `test` and `verify` skip a file so found that has no
   * `policy` header (a file of declarations the policies beside it import), and report one named.
   */
  found: boolean;
  /** Whether it is standard input (`-` on the command line), to be read with {@link readStandardInput}. */
  stdin: boolean;
}

/** How {@link policyFiles} reads the names. */
export interface PolicyFilesOptions {
  /** Whether `-` names standard input (alone); without, `-` is a usage error. */
  stdin?: boolean;
}

/** The `.policy` files under `folder`, at any depth, each path joined to `folder`'s; symbolic links to folders not followed. */
function policiesUnder(folder: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    throw new UsageError(`cannot read the folder \`${folder}\`: ${ioReason(error)}`);
  }
  // Sorted by code unit, as `ls` in the C locale: the same order on every machine.
  const names = entries.map((e) => e.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const byName = new Map(entries.map((e) => [e.name, e]));
  return names.flatMap((name) => {
    const entry = byName.get(name);
    const file = path.join(folder, name);
    if (entry?.isDirectory()) return policiesUnder(file);
    if (!name.endsWith('.policy')) return [];
    // A symbolic link counts when it leads to a file; where it may lead is the policy host's to judge.
    return entry?.isFile() || isFile(file) ? [file] : [];
  });
}

/** Whether `file` is a file (after symbolic links are followed). */
function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Whether `name` is a folder (after symbolic links are followed). */
function isFolder(name: string): boolean {
  try {
    return statSync(name).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The policies the files and folders named on a command line stand for, in order: a file as named (whether or not
 * it exists: reading it is the command's work, and its error the command's to report), a folder as every `.policy`
 * file under it at any depth, sorted by name (symbolic links to folders are not followed). A folder with no
 * `.policy` file under it, or one that cannot be read, is a {@link UsageError}; so is `-` unless `options.stdin`
 * allows it, and then only alone.
 *
 * @example
 * policyFiles(['policies/'])
 * // [{ file: 'policies/connecticut/authorities.policy', found: true, stdin: false }, …]
 */
export function policyFiles(names: readonly string[], options: PolicyFilesOptions = {}): PolicyFile[] {
  if (names.includes('-')) {
    if (!options.stdin)
      throw new UsageError('this command reads policies from files: name a `.policy` file, not `-`');
    if (names.length > 1)
      throw new UsageError('standard input (`-`) is read alone: name no other file with it');
    return [{ file: STDIN, found: false, stdin: true }];
  }
  return names.flatMap((name): PolicyFile[] => {
    if (!isFolder(name)) return [{ file: name, found: false, stdin: false }];
    const found = policiesUnder(name);
    if (found.length === 0) throw new UsageError(`there is no \`.policy\` file under \`${name}\``);
    return found.map((file) => ({ file, found: true, stdin: false }));
  });
}

/**
 * Standard input, read whole and decoded as UTF-8, strictly: bytes that are not UTF-8 are refused, never replaced
 * by U+FFFD. Input that cannot be read, or is not UTF-8, is a {@link UsageError} saying where.
 */
export async function readStandardInput(ctx: Context): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of readChunks(ctx.io.stdin?.() ?? [], 'standard input')) chunks.push(chunk);
  const decoded = decodeUtf8(Buffer.concat(chunks));
  if (decoded.ok) return decoded.text;
  const { line, column } = decoded.error;
  throw new UsageError(
    `standard input is not UTF-8: a byte no UTF-8 text has at line ${line}, byte ${column}`,
  );
}

/**
 * The host a policy is read through: for a file, {@link policyHost} (confined to `root`, by default the current
 * folder or the file's own); for standard input, its `text` as `<stdin>`, importing as a file in the current folder
 * would (so only from under the current folder, or under `root`).
 */
export function hostOf(input: PolicyFile, root: string | undefined, text?: string): SourceHost {
  // `<stdin>` is a name in the current folder (`path.dirname` is `.`): its imports resolve, and are confined, as
  // those of a file there.
  const host = policyHost(input.file, { root });
  return input.stdin
    ? { read: (file) => (file === STDIN ? text : host.read(file)), resolve: host.resolve }
    : host;
}
