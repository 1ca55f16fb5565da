import type { SourceFile } from './ast.js';
import type { Diagnostic, Result, SourceSpan } from './diagnostics.js';
import { parse } from './parse.js';

/**
 * Why a host will not read a file it was asked for: `outside-root` when the file is outside the folder the host
 * confines reads to, `not-a-policy` when it is not a `.policy` file. `help` says what to do instead, in the host's
 * own terms (the CLI names its `--root` option); without it the diagnostic gives a generic one.
 */
export interface Refusal {
  /** `unreadable`: the file is there, or may be, but reading it failed (a folder, no permission: see `reason`). */
  refused: 'outside-root' | 'not-a-policy' | 'unreadable';
  help?: string;
  /** Why an `unreadable` file could not be read, in words: `permission denied`, `is a directory`. */
  reason?: string;
}

/**
 * How a policy's files are found and read: the file system in the CLI, open documents in an editor. An editor's
 * host can be two lines: `{ read: (f) => documents.get(f), resolve: (from, p) => join(dirname(from), p) }`.
 * `load` never asks a host for an import whose path does not end in `.policy`.
 */
export interface SourceHost {
  /**
   * The text of `file`; undefined when there is no such file; a {@link Refusal} when there is one, but the host
   * will not read it (a host that confines reads to a folder refuses the files outside it).
   */
  read(file: string): string | Refusal | undefined;
  /** The file an `import "path"` written in `from` names. */
  resolve(from: string, path: string): string;
}

/** A policy's files: the entry file first, then every file it imports, each once. */
export interface Program {
  files: SourceFile[];
}

/** Only policies are imported: the one kind of file whose text a diagnostic may quote. */
const POLICY_EXTENSION = '.policy';

/**
 * Why `written` (an import's path as written, or the entry file's name) could not be read: the diagnostic at
 * `span`, the import's path, or without a span for the entry file.
 */
function unreadable(
  written: string,
  target: string,
  refusal: Refusal | undefined,
  span: SourceSpan | undefined,
): Diagnostic {
  const verb = span ? 'import' : 'read';
  const at = span ? { span } : {};
  if (refusal?.refused === 'outside-root') {
    return {
      code: 'import-outside-root',
      severity: 'error',
      message: `cannot ${verb} \`${written}\`: it is outside the root folder`,
      ...at,
      help: refusal.help ?? 'move the file under the folder of the policy that imports it',
    };
  }
  if (refusal?.refused === 'not-a-policy') {
    return {
      code: 'import-not-policy',
      severity: 'error',
      message: `cannot ${verb} \`${written}\`: it is not a \`${POLICY_EXTENSION}\` file`,
      ...at,
      help:
        refusal.help ??
        (span
          ? `only \`${POLICY_EXTENSION}\` files can be imported: move what you need into one`
          : `name a \`${POLICY_EXTENSION}\` file`),
    };
  }
  const why = refusal?.refused === 'unreadable' ? (refusal.reason ?? 'it could not be read') : 'no such file';
  return span
    ? {
        code: 'import-not-found',
        severity: 'error',
        message: `cannot read \`${written}\`: ${why} (looked for \`${target}\`)`,
        span,
        help: refusal?.help ?? 'the path is relative to the file that imports it',
      }
    : {
        code: 'import-not-found',
        severity: 'error',
        message: `cannot read \`${written}\`: ${why}`,
        ...(refusal?.help !== undefined && { help: refusal.help }),
      };
}

/**
 * Reads and parses `entry` and, transitively, every file it imports. Missing files, files the host refuses,
 * imports of anything but a `.policy` file and import cycles are diagnostics at the `import` that names them.
 *
 * @example
 * const { value, diagnostics } = load('main.policy', { read: (f) => files.get(f), resolve: (_, p) => p });
 */
export function load(entry: string, host: SourceHost): Result<Program> {
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const visit = (file: string, text: string, stack: string[]) => {
    seen.add(file);
    const parsed = parse(text, file);
    files.push(parsed.value);
    diagnostics.push(...parsed.diagnostics);
    for (const declaration of parsed.value.declarations) {
      if (declaration.kind !== 'import' || declaration.path.value === '') continue;
      const written = declaration.path.value;
      // INVARIANT: a host is never asked for a file that is not a policy, so nothing else can be quoted.
      if (!written.endsWith(POLICY_EXTENSION)) {
        diagnostics.push(unreadable(written, written, { refused: 'not-a-policy' }, declaration.path.span));
        continue;
      }
      const target = host.resolve(file, written);
      if (stack.includes(target)) {
        diagnostics.push({
          code: 'import-cycle',
          severity: 'error',
          message: `\`${written}\` imports this file back: ${[...stack, target].join(' → ')}`,
          span: declaration.span,
          help: 'move what both files need into a third file that imports neither',
        });
        continue;
      }
      if (seen.has(target)) continue;
      const imported = host.read(target);
      if (typeof imported !== 'string') {
        diagnostics.push(unreadable(written, target, imported, declaration.path.span));
        continue;
      }
      visit(target, imported, [...stack, target]);
    }
  };
  const text = host.read(entry);
  if (typeof text !== 'string') {
    diagnostics.push(unreadable(entry, entry, text, undefined));
    return { value: { files }, diagnostics };
  }
  visit(entry, text, [entry]);
  return { value: { files }, diagnostics };
}
