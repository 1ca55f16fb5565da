import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkPolicy, type Diagnostic, format, hasErrors, parse, sortDiagnostics } from '@tenet/language';
import { fileHost } from './host.js';
import { Reporter } from './report.js';

/** Where the CLI writes, and whether it may use colour. */
export interface Console {
  stdout(text: string): void;
  stderr(text: string): void;
  colour: boolean;
}

/** Exit statuses: 0 success, 1 the policy has errors (or differs, or fails), 2 the command was used wrongly. */
export type ExitStatus = 0 | 1 | 2;

const usage = `usage: tenet <command> [options] <file…>

commands:
  check <file…>          parse and check policies; print every problem found
  fmt <file…> [--check]  rewrite policies in the canonical layout; --check only reports files that differ

options:
  -h, --help             show this help
`;

/**
 * Runs the `tenet` command with `args` (without the program name), writing to `io`. Never throws on user input.
 *
 * @example
 * const status = await run(['check', 'policy.policy'], { stdout: console.log, stderr: console.error, colour: false });
 */
export async function run(args: string[], io: Console): Promise<ExitStatus> {
  const [command, ...rest] = args;
  const reporter = new Reporter(io.colour, (file) => fileHost.read(file));
  try {
    switch (command) {
      case 'check':
        return checkCommand(rest, io, reporter);
      case 'fmt':
        return fmtCommand(rest, io, reporter);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(usage);
        return command === undefined ? 2 : 0;
      default:
        io.stderr(`tenet: unknown command \`${command}\`\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`tenet ${command}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

class UsageError extends Error {}

function files(args: string[], options: Record<string, { type: 'boolean'; short?: string }> = {}) {
  try {
    const parsed = parseArgs({ args, allowPositionals: true, options });
    if (parsed.positionals.length === 0) throw new UsageError('name at least one .policy file');
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message.toLowerCase() : String(error));
  }
}

function print(io: Console, reporter: Reporter, diagnostics: Diagnostic[]): void {
  for (const d of sortDiagnostics(diagnostics)) io.stderr(`${reporter.format(d)}\n\n`);
}

function checkCommand(args: string[], io: Console, reporter: Reporter): ExitStatus {
  const { positionals } = files(args);
  const all: Diagnostic[] = [];
  for (const file of positionals) {
    const { value, diagnostics } = checkPolicy(file, fileHost);
    all.push(...diagnostics);
    print(io, reporter, diagnostics);
    if (!hasErrors(diagnostics)) {
      const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      const contents = [
        count(value.program.files.length, 'file'),
        count(value.sections.size, 'section'),
        count(value.rules.length, 'rule'),
        count(value.obligations.size, 'obligation'),
        count(value.assertions.length, 'assertion'),
        count(value.examples.length, 'example'),
        count(value.interpretations.length, 'interpretation'),
      ].join(', ');
      const warnings = diagnostics.length > 0 ? `; ${reporter.summary(diagnostics)}` : '';
      io.stdout(`${file}: ok (${contents}${warnings})\n`);
    }
  }
  if (hasErrors(all)) {
    io.stderr(`${reporter.summary(all)}\n`);
    return 1;
  }
  return 0;
}

function fmtCommand(args: string[], io: Console, reporter: Reporter): ExitStatus {
  const { positionals, values } = files(args, { check: { type: 'boolean' } });
  let status: ExitStatus = 0;
  for (const file of positionals) {
    const text = fileHost.read(file);
    if (text === undefined) {
      io.stderr(`tenet fmt: cannot read \`${file}\`\n`);
      status = 1;
      continue;
    }
    const parsed = parse(text, file);
    if (hasErrors(parsed.diagnostics)) {
      print(
        io,
        reporter,
        parsed.diagnostics.filter((d) => d.severity === 'error'),
      );
      io.stderr(`${file}: not formatted: fix the syntax errors first\n`);
      status = 1;
      continue;
    }
    const formatted = format(parsed.value);
    if (formatted === text) continue;
    if (values.check) {
      io.stdout(`${file}: not formatted\n`);
      status = 1;
    } else {
      writeFileSync(file, formatted);
      io.stdout(`${file}: formatted\n`);
    }
  }
  return status;
}
