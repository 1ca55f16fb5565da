/**
 * Watch mode (`check`, `test` and `verify` with `--watch`), and what it works from: a command's report of one file
 * as parts, each problem among them marked, so that one run can be compared with the one before. Outside watch mode
 * a command prints the same parts, in order, each to its stream (see {@link printReport}).
 */
import {
  type FSWatcher,
  lstatSync,
  readdirSync,
  realpathSync,
  statSync,
  watch as watchFolder,
} from 'node:fs';
import path from 'node:path';
import { type Diagnostic, load, type SourceFile, sortDiagnostics } from '@tenet/language';
import { type Console, type Context, type ExitStatus, UsageError } from './context.js';
import { hostOf, type PolicyFile, policyFiles } from './files.js';
import { plural } from './formats.js';
import { reporterOf, visible } from './report.js';
import { type CheckedSource, reporterFor } from './source.js';

/** The kinds of problem a report counts, in the order watch mode's summary lists them. */
const KINDS = [
  'error',
  'warning',
  'note',
  'failed example',
  'false assertion',
  'undecided assertion',
] as const;

/** What kind of problem a part of a report is: a diagnostic's severity (`note` for information), a failed example, … */
export type ProblemKind = (typeof KINDS)[number];

/** A part of what a command prints of one file: a line or a block, and the stream it goes to. */
export interface Part {
  /** The text, with its line ends. */
  text: string;
  stream: 'stdout' | 'stderr';
  /** Present when the part is a problem. */
  problem?: {
    kind: ProblemKind;
    /**
     * What makes it the same problem from one run to the next: never its place, so that a problem an edit above it
     * moves is not found again.
     */
    key: string;
    /** The problem in one line, with its file: how watch mode says it is fixed. */
    headline: string;
  };
}

/** What a command found in one file, for people: what it prints of it, and what it comes to. */
export interface FileReport {
  file: string;
  parts: Part[];
  /** Whether the file passes, by the command's measure. */
  ok: boolean;
  /**
   * What the file comes to, as watch mode says it when its results change: lines, the first starting with the file's
   * name (`p.policy: 3 of 4 assertions proved`), with no times in them (they change from run to run).
   */
  status: string[];
  /** The source the command checked: where watch mode finds every file the run read. */
  source: CheckedSource;
}

/** Prints a report as the command does: each part, in order, to its stream. */
export function printReport(ctx: Context, report: FileReport): void {
  for (const part of report.parts) ctx.io[part.stream](part.text);
}

const KIND_OF_SEVERITY = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * Diagnostics as parts of a report: in source order, each with its code frame and a blank line after it, on
 * standard error; `stdin` is the text read from standard input, for the frames of `<stdin>`.
 */
export function diagnosticParts(ctx: Context, diagnostics: readonly Diagnostic[], stdin?: string): Part[] {
  const reporter = reporterFor(ctx, stdin);
  return sortDiagnostics(diagnostics).map((d) => {
    const text = reporter.format(d);
    return {
      text: `${text}\n\n`,
      stream: 'stderr',
      problem: {
        kind: KIND_OF_SEVERITY[d.severity],
        key: ['diagnostic', d.span?.file ?? '', d.severity, d.code, d.message].join('\0'),
        headline: text.split('\n')[0] as string,
      },
    };
  });
}

/** The report of a source that did not compile: its errors, then `p.policy: not compiled: 1 error`. */
export function notCompiledReport(ctx: Context, source: CheckedSource): FileReport {
  const errors = source.diagnostics.filter((d) => d.severity === 'error');
  const line = `${visible(source.input.file)}: not compiled: ${reporterOf(ctx).summary(errors)}`;
  return {
    file: source.input.file,
    parts: [...diagnosticParts(ctx, errors, source.text), { text: `${line}\n`, stream: 'stderr' }],
    ok: false,
    status: [line],
    source,
  };
}

/** The `--watch` option, as `check`, `test` and `verify` take it. */
export const WATCH_OPTION = { watch: { type: 'boolean' } } as const;

/**
 * Refuses what `--watch` cannot do: watch standard input (`-` among `names`), or print for tools (a `format` other
 * than text: what it prints is for people).
 */
export function refuseUnwatchable(names: readonly string[], format: string): void {
  if (names.includes('-'))
    throw new UsageError('`--watch` watches files: it cannot watch standard input (`-`)');
  if (format !== 'text')
    throw new UsageError(`\`--watch\` prints text for people: run without it for \`--format ${format}\``);
}

/**
 * Every file checking `source` read or looked for, as named: the policy, each file it imports (found or not, so that
 * one created later is seen), the policy it is `compared with` and that one's imports, and every file a diagnostic
 * points into.
 */
function filesRead(source: CheckedSource, root: string | undefined): string[] {
  const host = hostOf(source.input, root, source.text);
  const { checked, input } = source;
  const compared = checked.policy?.comparedWith;
  const reference = compared && host.resolve(input.file, compared.value);
  // A reference with errors is not kept with the policy: its files are listed again, by loading it.
  const referenceFiles = reference
    ? (checked.reference?.program.files ?? load(reference, host).value.files)
    : [];
  const imports = (file: SourceFile) =>
    file.declarations.flatMap((d) =>
      d.kind === 'import' && d.path.value.endsWith('.policy') ? [host.resolve(file.file, d.path.value)] : [],
    );
  const spans = source.diagnostics.flatMap((d) => [d.span, ...(d.related ?? []).map((r) => r.span)]);
  return [
    input.file,
    ...(reference ? [reference] : []),
    ...[...checked.program.files, ...referenceFiles].flatMap((f) => [f.file, ...imports(f)]),
    ...spans.flatMap((span) => (span ? [span.file] : [])),
  ];
}

/** The file a symbolic link leads to, or undefined when `file` is none (or leads nowhere). */
function realPath(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/**
 * What a file is, as far as a change to it goes: which file (the inode of its name, and of the file it leads to),
 * its size, when it was last written and its mode; or why there is none. Its last reading is left out: reading a
 * file changes that, and is no change.
 */
function signature(file: string): string {
  try {
    const s = statSync(file);
    return `${lstatSync(file).ino}:${s.ino}:${s.size}:${s.mtimeMs}:${s.mode}`;
  } catch (error) {
    return `none:${(error as { code?: unknown }).code}`;
  }
}

/** `folder` and every folder under it (symbolic links to folders not followed, as {@link policyFiles} does); none when it is not a folder. */
function foldersUnder(folder: string): string[] {
  try {
    const entries = readdirSync(folder, { withFileTypes: true });
    return [
      folder,
      ...entries.filter((e) => e.isDirectory()).flatMap((e) => foldersUnder(path.join(folder, e.name))),
    ];
  } catch {
    return [];
  }
}

/** The inode of `folder`, or undefined when it is not a folder. */
function folderInode(folder: string): number | undefined {
  try {
    const s = statSync(folder);
    return s.isDirectory() ? s.ino : undefined;
  } catch {
    return undefined;
  }
}

/** `folder` if it is one, else the nearest folder above it: where its creation will be seen. */
function nearestFolder(folder: string): string {
  let at = folder;
  while (folderInode(at) === undefined && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

/**
 * The folders watched, each once. Folders, not files: an editor that saves by writing a new file and renaming it
 * over the old one replaces the file (its inode), and a watch on the file would go on watching the old one.
 */
class Watchers {
  readonly #open = new Map<string, { watcher: FSWatcher; inode: number }>();

  /** `changed` is called on every event in a folder watched (or when a watch fails). */
  constructor(private readonly changed: () => void) {}

  /**
   * Watches exactly the folders of `folders` (for one that does not exist, the nearest above it), anew where a
   * folder has been replaced since it was first watched.
   */
  set(folders: Iterable<string>): void {
    const wanted = new Set([...folders].map(nearestFolder));
    for (const [folder, open] of this.#open) {
      if (wanted.has(folder) && folderInode(folder) === open.inode) continue;
      open.watcher.close();
      this.#open.delete(folder);
    }
    for (const folder of wanted) {
      const inode = folderInode(folder);
      if (this.#open.has(folder) || inode === undefined) continue;
      try {
        const watcher = watchFolder(folder, { persistent: true }, () => this.changed());
        watcher.on('error', () => {
          watcher.close();
          this.#open.delete(folder);
          this.changed();
        });
        this.#open.set(folder, { watcher, inode });
      } catch {
        // Gone since it was looked at, or out of watches: the next event tries again.
      }
    }
  }

  close(): void {
    for (const { watcher } of this.#open.values()) watcher.close();
    this.#open.clear();
  }
}

/** How long after the last event of a burst a run starts, and the longest a run waits while events go on. */
const QUIET_MS = 100;
const LONGEST_WAIT_MS = 1000;

/** Clears a terminal's screen and its scrollback, and puts the cursor at the top (as `tsc --watch` does). */
const CLEAR = '\x1b[2J\x1b[3J\x1b[H';

/** A part that is a problem. */
type Problem = Part & { problem: NonNullable<Part['problem']> };

/** The problems of a report. */
const problemsOf = (report: FileReport) => report.parts.filter((p): p is Problem => p.problem !== undefined);

/** Of `problems`, those beyond as many of each as `others` has (the same problem may be found twice). */
function beyond(problems: readonly Problem[], others: readonly Problem[]): Problem[] {
  const left = new Map<string, number>();
  for (const p of others) left.set(p.problem.key, (left.get(p.problem.key) ?? 0) + 1);
  return problems.filter((p) => {
    const n = left.get(p.problem.key) ?? 0;
    left.set(p.problem.key, n - 1);
    return n <= 0;
  });
}

/** Whether the file of a report could be read at all (else its one diagnostic says why not). */
const wasRead = (report: FileReport) => report.source.checked.program.files.length > 0;

/**
 * What watch mode prints of a file run again (`before` is its last report, if it had one): nothing when its results
 * are the same; else its new problems, in full, a line for each problem fixed, and `p.policy: ok now` when none is
 * left, or else what it comes to. A file that cannot be read is the one line that says why.
 */
function changes(before: FileReport | undefined, after: FileReport): string {
  const problems = problemsOf(after);
  if (!wasRead(after)) return problems.map((p) => p.text).join('');
  const earlier = before && wasRead(before) ? before : undefined;
  const fresh = beyond(problems, earlier ? problemsOf(earlier) : []);
  const fixed = earlier ? beyond(problemsOf(earlier), problems) : [];
  const same =
    earlier?.ok === after.ok && earlier.status.join('\n') === after.status.join('\n') && fresh.length === 0;
  if (same && fixed.length === 0) return '';
  const status = earlier && !earlier.ok && after.ok ? [`${visible(after.file)}: ok now`] : after.status;
  return [
    ...fresh.map((p) => p.text),
    ...fixed.map((p) => `fixed: ${p.problem.headline}\n`),
    ...status.map((line) => `${line}\n`),
  ].join('');
}

/** How watch mode runs. */
export interface WatchOptions {
  /** The command, for a line that says why a file or a folder cannot be run (`tenet check: …`). */
  command: string;
  /** `--root`: where the policies' imports are confined to. */
  root: string | undefined;
}

/** `[19:06:41]`: the time of day, for the summary line of a run. */
const clock = () => `[${new Date().toTimeString().slice(0, 8)}]`;

/** How many milliseconds since `started` (a `performance.now()`), as a run's summary says it. */
const since = (started: number) => `${(performance.now() - started).toFixed(0)} ms`;

/**
 * Runs `runFile` on each of `inputs` (what `names`, the files and folders named, stand for), prints the reports,
 * and then watches every file the runs read: the policies, their imports, the policies they are compared with, and
 * the folders named (where a new `.policy` file is run as it appears, and one deleted is said to be). After a burst
 * of changes it runs again only the policies whose files changed, and prints what changed in their results and a
 * summary line (`[19:06:41] 1 file changed: 2 errors, 1 warning (38 ms)`). Where standard output is a terminal, it
 * clears the screen instead and prints the whole report of every file with problems. Everything goes to standard
 * output, in order. Ends when the process is interrupted (SIGINT, SIGTERM), with status 0.
 */
export function watch(
  ctx: Context,
  names: readonly string[],
  inputs: readonly PolicyFile[],
  runFile: (ctx: Context, input: PolicyFile) => FileReport,
  { command, root }: WatchOptions,
): Promise<ExitStatus> {
  const terminal = ctx.io.terminal === true;
  // One stream, so that what is printed keeps its order; colour only where a person sees it.
  const io: Console = { ...ctx.io, stderr: ctx.io.stdout, colour: terminal && ctx.io.colour };
  const write = (text: string) => io.stdout(text);
  const reports = new Map<string, FileReport>();
  /** The files each policy's last run read, as absolute paths, by the policy's name. */
  const read = new Map<string, string[]>();
  /** Each file read, as it was when last looked at (see {@link signature}). */
  const signatures = new Map<string, string>();
  /** Why a name stands for no policy, as last said, so that it is said once. */
  const said = new Map<string, string>();
  let current = [...inputs];

  /** Runs `files`, with a new context (its reporter quotes the text just read), and notes what each read. */
  const runAll = (files: readonly PolicyFile[]) => {
    const run: Context = { io };
    for (const input of files) {
      let report: FileReport;
      try {
        report = runFile(run, input);
      } catch (error) {
        // The root named is no longer a folder, say: said, and the file's last results kept.
        if (!(error instanceof UsageError)) throw error;
        write(`tenet ${command}: ${error.message}\n`);
        continue;
      }
      reports.set(input.file, report);
      const files = [...new Set(filesRead(report.source, root).map((file) => path.resolve(file)))];
      read.set(input.file, files);
      for (const file of files) if (!signatures.has(file)) signatures.set(file, signature(file));
    }
  };

  /** The policies the names stand for now; a name that stands for none is said once, in a line. */
  const scan = () =>
    names.flatMap((name) => {
      try {
        const found = policyFiles([name]);
        said.delete(name);
        return found;
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        if (said.get(name) !== error.message) write(`tenet ${command}: ${error.message}\n`);
        said.set(name, error.message);
        return [];
      }
    });

  /** Prints the whole of a report, as the command does without `--watch`. */
  const printAll = (report: FileReport) => write(report.parts.map((p) => p.text).join(''));

  /** Every file the policies read, each once. */
  const watched = () => new Set([...read.values()].flat());

  /** The problems of every policy, counted by kind: `2 errors, 1 warning`. */
  const totals = () => {
    const counts = new Map<ProblemKind, number>();
    for (const report of current.map((input) => reports.get(input.file)))
      for (const { problem } of report ? problemsOf(report) : [])
        counts.set(problem.kind, (counts.get(problem.kind) ?? 0) + 1);
    const listed = KINDS.flatMap((kind) => {
      const n = counts.get(kind);
      return n ? [plural(n, kind)] : [];
    });
    return listed.length > 0 ? listed.join(', ') : 'no problems';
  };

  let timer: NodeJS.Timeout | undefined;
  let burst = 0;
  /** An event: the run waits until events have been quiet a moment, or have gone on for long. */
  const schedule = () => {
    if (timer === undefined) burst = performance.now();
    clearTimeout(timer);
    const wait = performance.now() - burst > LONGEST_WAIT_MS ? 0 : QUIET_MS;
    timer = setTimeout(() => {
      timer = undefined;
      rerun();
    }, wait);
  };

  const watchers = new Watchers(schedule);
  /** Watches the folders of every file read (and of the files links lead to), and every folder under a folder named. */
  const arm = () => {
    const files = watched();
    for (const file of signatures.keys()) if (!files.has(file)) signatures.delete(file);
    watchers.set([
      ...[...files].flatMap((file) => [file, realPath(file) ?? file].map((f) => path.dirname(f))),
      ...names.flatMap((name) => foldersUnder(path.resolve(name))),
    ]);
  };

  /** After a burst of events: runs again the policies whose files changed, and those new under a folder named. */
  const rerun = () => {
    const started = performance.now();
    const scanned = scan();
    const changed = new Set<string>();
    for (const file of watched()) {
      const now = signature(file);
      if (now === signatures.get(file)) continue;
      signatures.set(file, now);
      changed.add(file);
    }
    const known = new Set(scanned.map((input) => input.file));
    const removed = current.filter((input) => !known.has(input.file));
    const added = scanned.filter((input) => !reports.has(input.file));
    for (const input of [...removed, ...added]) changed.add(path.resolve(input.file));
    for (const input of removed) {
      reports.delete(input.file);
      read.delete(input.file);
    }
    current = scanned;
    if (changed.size > 0) {
      const again = scanned.filter(
        (input) => !reports.has(input.file) || read.get(input.file)?.some((f) => changed.has(f)),
      );
      const before = new Map(reports);
      runAll(again);
      if (terminal) {
        write(CLEAR);
        for (const report of current.map((input) => reports.get(input.file)))
          if (report && problemsOf(report).length > 0) printAll(report);
      } else {
        for (const input of again) {
          const report = reports.get(input.file);
          if (report) write(changes(before.get(input.file), report));
        }
        for (const input of removed) write(`${visible(input.file)}: deleted\n`);
      }
    }
    // Watching before the summary says so: a file saved as soon as it is read is seen.
    arm();
    if (changed.size > 0)
      write(`${clock()} ${plural(changed.size, 'file')} changed: ${totals()} (${since(started)})\n`);
  };

  return new Promise((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      watchers.close();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const started = performance.now();
    runAll(current);
    if (terminal) write(CLEAR);
    for (const input of current) {
      const report = reports.get(input.file);
      if (report) printAll(report);
    }
    arm();
    write(`${clock()} watching ${plural(watched().size, 'file')}: ${totals()} (${since(started)})\n`);
  });
}
