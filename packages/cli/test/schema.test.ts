import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCommand } from '../src/commands/compile.js';
import { schemaCommand } from '../src/commands/schema.js';
import { type Context, UsageError } from '../src/context.js';

const root = path.resolve(import.meta.dirname, '../../..');
const policy = path.join(root, 'policies/wethersfield/confidentiality.policy');
/** A scratch folder for the files a test writes, made before the tests and removed after them. */
let folder = '';

/** Runs `command` with `args` on a console that keeps what is written, as `run` would. */
async function call(command: (ctx: Context, args: string[]) => Promise<0 | 1 | 2>, args: string[]) {
  let stdout = '';
  let stderr = '';
  const ctx: Context = {
    io: {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      colour: false,
    },
  };
  const status = await command(ctx, args);
  return { status, stdout, stderr };
}

const schema = (args: string[]) => call(schemaCommand, args);

describe('tenet schema', () => {
  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'tenet-schema-cli-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('prints the JSON Schema of a query, pretty, to standard output by default', async () => {
    const { status, stdout, stderr } = await schema([policy]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout.split('\n').slice(0, 9)).toEqual([
      '{',
      '  "$schema": "https://json-schema.org/draft/2020-12/schema",',
      '  "title": "Confidentiality of Records Policy: a query",',
      '  "description": "A query of “Confidentiality of Records Policy” (Wethersfield Library, version 2014-04-22).",',
      '  "type": "object",',
      '  "properties": {',
      '    "requester": {',
      '      "description": "The person asking to see or use a borrower\'s record.",',
      '      "type": "object",',
    ]);
    expect(
      stdout.endsWith(
        '\n  "required": [\n    "requester",\n    "record"\n  ],\n  "additionalProperties": false\n}\n',
      ),
    ).toBe(true);
    expect((await schema([policy, '-o', '-'])).stdout).toBe(stdout);
    expect((await schema([policy, '--format', 'json-schema'])).stdout).toBe(stdout);
  });

  it('says the same of a compiled artifact as of its source', async () => {
    const artifact = path.join(folder, 'wethersfield.json');
    expect((await call(compileCommand, [policy, '-o', artifact])).status).toBe(0);
    for (const format of ['json-schema', 'ts']) {
      const fromArtifact = await schema([artifact, '--format', format]);
      expect(fromArtifact.status).toBe(0);
      expect(fromArtifact.stdout).toBe((await schema([policy, '--format', format])).stdout);
    }
  });

  it('prints TypeScript types with --format ts', async () => {
    const { status, stdout, stderr } = await schema([policy, '--format', 'ts']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout.split('\n').slice(0, 8)).toEqual([
      '/**',
      ' * A query of “Confidentiality of Records Policy” (Wethersfield Library, version 2014-04-22).',
      ' *',
      ' * Generated from its vocabulary by `tenet schema --format ts`.',
      ' */',
      'export interface WethersfieldConfidentialityQuery {',
      "  /** The person asking to see or use a borrower's record. */",
      '  requester: WethersfieldConfidentialityRequester;',
    ]);
  });

  it('writes to the file -o names, and says what it wrote', async () => {
    const file = path.join(folder, 'query.d.ts');
    const { status, stdout, stderr } = await schema([policy, '--format', 'ts', '-o', file]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const written = readFileSync(file, 'utf8');
    expect(written).toBe((await schema([policy, '--format', 'ts'])).stdout);
    expect(stdout).toBe(
      `${file}: TypeScript types of a query of “Confidentiality of Records Policy”, ${Buffer.byteLength(written)} bytes\n`,
    );
  });

  it('says in one line that a file cannot be written, and exits 1', async () => {
    const file = path.join(folder, 'no-such-folder', 'schema.json');
    expect(await schema([policy, '-o', file])).toEqual({
      status: 1,
      stdout: '',
      stderr: `tenet schema: cannot write \`${file}\`: no such file or folder\n`,
    });
  });

  it('exits 1, writing nothing, when the policy has errors', async () => {
    const broken = path.join(folder, 'broken.policy');
    writeFileSync(
      broken,
      [
        'policy p "P"',
        '',
        'entity requester',
        '  role: one of patron, reporter',
        '',
        'authority law "Law"',
        '  quote "The law."',
        '',
        'permit reporters',
        '  when requester.role is reporterr',
        '  because law',
        '',
      ].join('\n'),
    );
    const { status, stdout, stderr } = await schema([broken, '-o', path.join(folder, 'never.json')]);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe(`${broken}:10:26: error[unknown-value]: unknown value \`reporterr\``);
    expect(existsSync(path.join(folder, 'never.json'))).toBe(false);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe(`${broken}: not compiled: 1 error`);
  });

  it('refuses a second file, no file, an unknown format and an empty -o, as wrong usage', async () => {
    const refusal = (args: string[]) =>
      schema(args).then(
        () => undefined,
        (error: unknown) => error,
      );
    const cases: [string[], string][] = [
      [
        [policy, 'other.policy'],
        'one policy at a time, not also `other.policy`: run `tenet schema <policy>` once for each',
      ],
      [[], 'name at least one .policy file'],
      [[policy, '--format', 'yaml'], '--format is json-schema or ts, not `yaml`'],
      [[policy, '-o', ''], 'name the file to write with `-o <file>`, or `-o -` for standard output'],
    ];
    for (const [args, message] of cases) {
      const error = await refusal(args);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).message).toBe(message);
    }
  });
});
