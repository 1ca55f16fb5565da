import { writeFileSync } from 'node:fs';
import { format, hasErrors, parse } from '@tenet/language';
import { type Context, type ExitStatus, ioReason, options } from '../context.js';
import { fileHost } from '../host.js';
import { printDiagnostics } from '../report.js';

/** `tenet fmt <file…> [--check]`: the canonical layout, written in place or only checked. */
export function fmt(ctx: Context, args: string[]): ExitStatus {
  const { positionals, values } = options(args, { check: { type: 'boolean' } }, 1);
  let status: ExitStatus = 0;
  for (const file of positionals) {
    const text = fileHost.read(file);
    if (text === undefined) {
      ctx.io.stderr(`tenet fmt: cannot read \`${file}\`\n`);
      status = 1;
      continue;
    }
    const parsed = parse(text, file);
    if (hasErrors(parsed.diagnostics)) {
      printDiagnostics(
        ctx,
        parsed.diagnostics.filter((d) => d.severity === 'error'),
      );
      ctx.io.stderr(`${file}: not formatted: fix the syntax errors first\n`);
      status = 1;
      continue;
    }
    const formatted = format(parsed.value);
    if (formatted === text) continue;
    if (values.check) {
      ctx.io.stdout(`${file}: not formatted\n`);
      status = 1;
      continue;
    }
    try {
      writeFileSync(file, formatted);
      ctx.io.stdout(`${file}: formatted\n`);
    } catch (error) {
      ctx.io.stderr(`tenet fmt: cannot write \`${file}\`: ${ioReason(error)}\n`);
      status = 1;
    }
  }
  return status;
}
