#!/usr/bin/env node
import { once } from 'node:events';
import { fstatSync } from 'node:fs';
import { internalError, run } from './cli.js';
import { ioReason } from './context.js';

const argument = process.argv[2];
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
  colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  stdin: standardInput,
  drained: async () => {
    await Promise.all(streams.filter((s) => s.writableNeedDrain).map((s) => once(s, 'drain')));
  },
  ...(process.stderr.isTTY ? { progress: (text: string) => process.stderr.write(`\r${text}\x1b[K`) } : {}),
});
