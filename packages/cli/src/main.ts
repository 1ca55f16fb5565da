#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { run } from './cli.js';

// A reader that stops early (`tenet graph … | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  stdin: () => readFileSync(0, 'utf8'),
  ...(process.stderr.isTTY ? { progress: (text: string) => process.stderr.write(`\r${text}\x1b[K`) } : {}),
});
