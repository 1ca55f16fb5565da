#!/usr/bin/env node
import { once } from 'node:events';
import { fstatSync } from 'node:fs';
import { internalError, run } from './cli.js';
import { colourWanted, ioReason } from './context.js';

// Run as `pnpm tenet …`, the root's script, the command starts in the workspace's root: file names are the user's,
// relative to the folder the command was typed in, which pnpm (as npm) gives as INIT_CWD.
if (process.env.npm_lifecycle_event === 'tenet' && process.env.INIT_CWD) {
  try {
    process.chdir(process.env.INIT_CWD);
  } catch {
    // A folder gone since it was typed in: names are then taken from the root, as before.
  }
}

const argument = process.argv[2] === '--' ? process.argv[3] : process.argv[2];
const command = argument && !argument.startsWith('-') ? argument : undefined;
const name = command ? `tenet ${command}` : 'tenet';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // A reader that stops early (`tenet graph … | head`) is not an error.
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`${name}: cannot write standard output: ${ioReason(error)}\n`);
  process.exit(1);
});
// Where standard error cannot be written, there is nowhere left to say so.
process.stderr.on('error', () => {});
// What escapes `run` (an error in a stream's callback): one line, never a stack trace.
const crash = (error: unknown) => {
  process.stderr.write(internalError(command, error));
  process.exit(1);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

/** Standard input as bytes. Node reads a directory on standard input as empty: it is said to be one instead. */
async function* standardInput(): AsyncGenerator<Uint8Array> {
  if (fstatSync(0).isDirectory())
    throw Object.assign(new Error('standard input is a directory'), { code: 'EISDIR' });
  yield* process.stdin;
}

const streams = [process.stdout, process.stderr];

process.exitCode = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  colour: colourWanted(Boolean(process.stderr.isTTY), process.env),
  stdin: standardInput,
  terminal: Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb',
  drained: async () => {
    await Promise.all(streams.filter((s) => s.writableNeedDrain).map((s) => once(s, 'drain')));
  },
  // Progress rewrites its line with a terminal's escapes: not on a dumb one.
  ...(process.stderr.isTTY && process.env.TERM !== 'dumb'
    ? { progress: (text: string) => process.stderr.write(`\r${text}\x1b[K`) }
    : {}),
});
