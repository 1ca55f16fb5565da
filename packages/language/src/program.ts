import type { SourceFile } from './ast.js';
import type { Diagnostic, Result } from './diagnostics.js';
import { parse } from './parse.js';

/** How a policy's files are found and read: the file system in the CLI, open documents in an editor. */
export interface SourceHost {
  /** The text of `file`, or undefined when there is no such file. */
  read(file: string): string | undefined;
  /** The file an `import "path"` written in `from` names. */
  resolve(from: string, path: string): string;
}

/** A policy's files: the entry file first, then every file it imports, each once. */
export interface Program {
  files: SourceFile[];
}

/**
 * Reads and parses `entry` and, transitively, every file it imports. Missing files and import cycles are
 * diagnostics at the `import` that names them.
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
      const target = host.resolve(file, declaration.path.value);
      if (stack.includes(target)) {
        diagnostics.push({
          code: 'import-cycle',
          severity: 'error',
          message: `\`${declaration.path.value}\` imports this file back: ${[...stack, target].join(' → ')}`,
          span: declaration.span,
          help: 'move what both files need into a third file that imports neither',
        });
        continue;
      }
      if (seen.has(target)) continue;
      const imported = host.read(target);
      if (imported === undefined) {
        diagnostics.push({
          code: 'import-not-found',
          severity: 'error',
          message: `cannot read \`${declaration.path.value}\` (looked for \`${target}\`)`,
          span: declaration.path.span,
          help: 'the path is relative to the file that imports it',
        });
        continue;
      }
      visit(target, imported, [...stack, target]);
    }
  };
  const text = host.read(entry);
  if (text === undefined) {
    diagnostics.push({ code: 'import-not-found', severity: 'error', message: `cannot read \`${entry}\`` });
    return { value: { files }, diagnostics };
  }
  visit(entry, text, [entry]);
  return { value: { files }, diagnostics };
}
