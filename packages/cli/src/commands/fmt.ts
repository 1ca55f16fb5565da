import { writeFileSync } from 'node:fs';
import { format, hasErrors, parse } from '@tenet/language';
import { type Context, type ExitStatus, ioReason, options } from '../context.js';
import { policyFiles, readStandardInput } from '../files.js';
import { unifiedDiff } from '../formats.js';
import { fileHost } from '../host.js';
import { visible } from '../report.js';
import { printSourceDiagnostics } from '../source.js';

/**
 * `tenet fmt <file|dir…|-> [--check] [--diff]`: the canonical layout, written in place (standard input, `-`: to
 * standard output), only checked (`--check`), or shown as a unified diff (`--diff`). With `--check` or `--diff`
 * nothing is written, and a file not formatted makes the exit status 1.
 */
export async function fmt(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(args, { check: { type: 'boolean' }, diff: { type: 'boolean' } }, 1);
  let status: ExitStatus = 0;
  for (const input of policyFiles(positionals, { stdin: true })) {
    const { file } = input;
    const stdin = input.stdin ? await readStandardInput(ctx) : undefined;
    const text = stdin ?? fileHost.read(file);
    if (text === undefined) {
      ctx.io.stderr(`tenet fmt: cannot read \`${visible(file)}\`\n`);
      status = 1;
      continue;
    }
    const parsed = parse(text, file);
    if (hasErrors(parsed.diagnostics)) {
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
      printSourceDiagnostics(ctx, errors, stdin);
      ctx.io.stderr(`${visible(file)}: not formatted: fix the syntax errors first\n`);
      status = 1;
      continue;
    }
    const formatted = format(parsed.value);
    if (values.diff) {
      const diff = unifiedDiff(file, text, formatted);
      ctx.io.stdout(diff);
      if (diff !== '') status = 1;
    } else if (values.check) {
      if (formatted === text) continue;
      ctx.io.stdout(`${visible(file)}: not formatted\n`);
      status = 1;
    } else if (input.stdin) ctx.io.stdout(formatted);
    else if (formatted !== text) {
      try {
        writeFileSync(file, formatted);
        ctx.io.stdout(`${visible(file)}: formatted\n`);
      } catch (error) {
        ctx.io.stderr(`tenet fmt: cannot write \`${visible(file)}\`: ${ioReason(error)}\n`);
        status = 1;
      }
    }
  }
  return status;
}
