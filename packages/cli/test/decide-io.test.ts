import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWN_RECORD } from '../../../test/helpers/policy.js';
import { createEngine } from '../../runtime/src/index.js';
import { run } from '../src/cli.js';

const OWN = '{"requester":{"id":"p-1","role":"patron"},"record":{"subjectId":"p-1"}}';
const OTHER = '{"requester":{"id":"r-7","role":"reporter"},"record":{"subjectId":"p-1"}}';

/** A folder holding the policy `p.policy` and `files`; every path the tests name is in it. */
function scratch(files: Record<string, string> = {}): (name: string) => string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tenet-decide-io-'));
  writeFileSync(path.join(dir, 'p.policy'), OWN_RECORD);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return (name) => path.join(dir, name);
}

/** Runs the `tenet` command in this process, with `stdin` as standard input. */
async function tenet(args: string[], stdin?: string) {
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    colour: false,
    ...(stdin === undefined ? {} : { stdin: () => [Buffer.from(stdin)] }),
  });
  return { status, stdout, stderr };
}

/** The engine of the policy compiled from `p.policy` (via `-o -`), to say what the CLI must answer. */
async function engineOf(at: (name: string) => string) {
  return createEngine(JSON.parse((await tenet(['compile', at('p.policy'), '-o', '-'])).stdout));
}

/** The decision the runtime itself gives `query` with the policy compiled from `p.policy`. */
async function decisionOf(at: (name: string) => string, query: string) {
  return (await engineOf(at)).decide(JSON.parse(query));
}

describe('tenet decide: one query, or JSON Lines', () => {
  it('answers JSON Lines of one line, on standard input or in a `.jsonl` file, with one line of JSON Lines', async () => {
    const at = scratch({ 'q.jsonl': `${OWN}\n` });
    const expected = `${JSON.stringify({ line: 1, ...(await decisionOf(at, OWN)) })}\n`;
    for (const result of [
      await tenet(['decide', at('p.policy'), '--query', '-'], `${OWN}\n`),
      await tenet(['decide', at('p.policy'), '--query', at('q.jsonl')]),
    ]) {
      expect(result).toEqual({ status: 0, stdout: expected, stderr: '' });
    }
  });

  it('answers a `.json` file holding one object, on one line or pretty over several, with one pretty answer', async () => {
    const at = scratch({
      'one.json': `${OWN}\n`,
      'pretty.json': `\n${JSON.stringify(JSON.parse(OWN), null, 2)}\n\n`,
    });
    const expected = `${JSON.stringify(await decisionOf(at, OWN), null, 2)}\n`;
    expect(expected.split('\n').slice(0, 2)).toEqual(['{', '  "decision": "permit",']);
    for (const file of ['one.json', 'pretty.json']) {
      expect(await tenet(['decide', at('p.policy'), '--query', at(file)])).toEqual({
        status: 0,
        stdout: expected,
        stderr: '',
      });
    }
  });

  it('answers a `.json` file of several lines, each a query, as JSON Lines', async () => {
    const at = scratch({ 'q.json': `${OWN}\n${OTHER}\n` });
    const answers = [
      { line: 1, ...(await decisionOf(at, OWN)) },
      { line: 2, ...(await decisionOf(at, OTHER)) },
    ];
    expect(await tenet(['decide', at('p.policy'), '--query', at('q.json')])).toEqual({
      status: 0,
      stdout: answers.map((a) => `${JSON.stringify(a)}\n`).join(''),
      stderr: '',
    });
  });

  it('skips blank lines, and answers each bad line in its place by a deny with its error, with exit status 2', async () => {
    const at = scratch();
    const result = await tenet(
      ['decide', at('p.policy'), '--query', '-'],
      `${OWN}\n\n  \r\n{"name": Jane Doe}\n[1]\n${OTHER}\n`,
    );
    const engine = await engineOf(at);
    const notJson = 'the query is not valid JSON at column 10: an unexpected character';
    const refused = engine.refuse([{ code: 'invalid-json', path: '', message: notJson }]);
    expect(result).toEqual({
      status: 2,
      stdout: [
        JSON.stringify({ line: 1, ...(await decisionOf(at, OWN)) }),
        JSON.stringify({ line: 4, ...refused }),
        JSON.stringify({ line: 5, ...engine.decide([1]) }),
        JSON.stringify({ line: 6, ...(await decisionOf(at, OTHER)) }),
        '',
      ].join('\n'),
      stderr: [
        `tenet: invalid query on line 4: ${notJson}`,
        'tenet: invalid query on line 5: a query is a JSON object, not an array',
        '',
      ].join('\n'),
    });
  });

  it('takes `--format text|json` as the one output switch, and says which formats there are', async () => {
    const at = scratch({ 'q.json': OWN });
    expect(await tenet(['decide', at('p.policy'), '--query', at('q.json'), '--format', 'yaml'])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet decide: --format is json or text, not `yaml`\n',
    });
    expect(await tenet(['explain', at('p.policy'), '--query', at('q.json'), '--format', 'yaml'])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'tenet explain: --format is text or json, not `yaml`\n',
    });
  });
});

describe('tenet compile, decide and graph: the artifact', () => {
  it('writes the artifact to standard output with `-o -`, and says what it holds on standard error', async () => {
    const at = scratch();
    const toFile = await tenet(['compile', at('p.policy'), '-o', at('w.json')]);
    const artifact = readFileSync(at('w.json'), 'utf8');
    const holds = `1 rule, 1 atom, 1 node, 2 found steps, ${Buffer.byteLength(artifact)} bytes`;
    expect(toFile).toEqual({ status: 0, stdout: `${at('w.json')}: ${holds}\n`, stderr: '' });
    expect(await tenet(['compile', at('p.policy'), '-o', '-'])).toEqual({
      status: 0,
      stdout: artifact,
      stderr: `standard output: ${holds}\n`,
    });
  });

  it('counts the bytes of the artifact, not its characters', async () => {
    const at = scratch({
      'law.policy': OWN_RECORD.replace(
        '"The law."',
        '"Conn. Gen. Stat. § 11-25(b): § 1-210 does not apply."',
      ),
    });
    const { status, stdout } = await tenet(['compile', at('law.policy'), '-o', at('law.json')]);
    const size = statSync(at('law.json')).size;
    expect(readFileSync(at('law.json'), 'utf8').length).toBe(size - 2);
    expect([status, stdout]).toEqual([
      0,
      `${at('law.json')}: 1 rule, 1 atom, 1 node, 2 found steps, ${size} bytes\n`,
    ]);
  });

  it('decides from an artifact told by its content, whatever its name, as from the policy', async () => {
    const at = scratch({ 'q.json': OWN });
    await tenet(['compile', at('p.policy'), '-o', at('w.artifact')]);
    writeFileSync(at('spaced'), `\ufeff \r\n\t${readFileSync(at('w.artifact'), 'utf8')}`);
    const fromPolicy = await tenet(['decide', at('p.policy'), '--query', at('q.json')]);
    expect(fromPolicy.status).toBe(0);
    for (const artifact of ['w.artifact', 'spaced']) {
      expect(await tenet(['decide', at(artifact), '--query', at('q.json')])).toEqual(fromPolicy);
    }
    expect((await tenet(['graph', at('w.artifact')])).stdout).toBe(
      (await tenet(['graph', at('p.policy')])).stdout,
    );
  });

  it('reads any other file as a policy source, and says why a file that is not there cannot be read', async () => {
    const at = scratch({ 'q.json': OWN, 'notes.txt': OWN_RECORD });
    expect(await tenet(['decide', at('notes.txt'), '--query', at('q.json')])).toEqual({
      status: 1,
      stdout: '',
      stderr: [
        `error[import-not-policy]: cannot read \`${at('notes.txt')}\`: it is not a \`.policy\` file`,
        'help: name a `.policy` file',
        '',
        `${at('notes.txt')}: not compiled: 1 error`,
        '',
      ].join('\n'),
    });
    expect(await tenet(['decide', at('gone.artifact'), '--query', at('q.json')])).toEqual({
      status: 1,
      stdout: '',
      stderr: `tenet: cannot read \`${at('gone.artifact')}\`: no such file or folder\n`,
    });
  });

  it('refuses `--key` for a policy source, told by its content', async () => {
    const at = scratch({ 'q.json': OWN, 'key.pem': '' });
    expect(await tenet(['decide', at('p.policy'), '--key', at('key.pem'), '--query', at('q.json')])).toEqual({
      status: 2,
      stdout: '',
      stderr: `tenet decide: \`--key\` checks the signature of a compiled artifact, and \`${at('p.policy')}\` is a policy source: compile and sign it first\n`,
    });
  });
});

describe('every file named is processed, or refused', () => {
  it('refuses a second policy to compile, graph, decide or explain, naming it and saying what to do', async () => {
    const at = scratch({ 'q.json': OWN });
    const [p, b, c] = [at('p.policy'), at('b.policy'), at('c.policy')];
    const refused = (command: string, message: string) => ({
      status: 2,
      stdout: '',
      stderr: `tenet ${command}: ${message}\n`,
    });
    expect(await tenet(['compile', p, b, '-o', at('x.json')])).toEqual(
      refused(
        'compile',
        `one policy at a time, not also \`${b}\`: run \`tenet compile <policy> -o <file>\` once for each`,
      ),
    );
    expect(await tenet(['graph', p, b, c])).toEqual(
      refused(
        'graph',
        `one policy at a time, not also \`${b}\` and \`${c}\`: run \`tenet graph <policy>\` once for each`,
      ),
    );
    expect(await tenet(['decide', p, b, '--query', at('q.json')])).toEqual(
      refused('decide', `one policy at a time, not also \`${b}\`: run \`tenet decide\` once for each policy`),
    );
    expect(await tenet(['explain', p, b, '--query', at('q.json')])).toEqual(
      refused(
        'explain',
        `one policy at a time, not also \`${b}\`: run \`tenet explain\` once for each policy`,
      ),
    );
    expect(await tenet(['decide', p, at('q.json')])).toEqual(
      refused(
        'decide',
        `one policy at a time, not also \`${at('q.json')}\`: if it is the query, give it with \`--query ${at('q.json')}\``,
      ),
    );
    expect(await tenet(['diff', p, p, b, c, at('d.policy'), at('e.policy')])).toEqual(
      refused(
        'diff',
        `two policies at a time, not also \`${b}\`, \`${c}\`, \`${at('d.policy')}\` and 1 more: run \`tenet diff <a> <b>\` once for each pair`,
      ),
    );
    expect(readFileSync(p, 'utf8')).toBe(OWN_RECORD);
  });
});

describe('tenet diff', () => {
  it('prints the comparison as JSON with `--format json`', async () => {
    const at = scratch();
    const result = await tenet(['diff', at('p.policy'), at('p.policy'), '--format', 'json']);
    expect(result).toEqual({
      status: 0,
      stdout: `${JSON.stringify(
        {
          left: at('p.policy'),
          right: at('p.policy'),
          total: 0,
          shown: 0,
          count: 0,
          combinations: 2,
          merged: false,
          bounded: { classes: 20, casesPerClass: 32 },
          classes: [],
          cases: 0,
        },
        null,
        2,
      )}\n`,
      stderr: '',
    });
  });

  it('refuses an artifact, told by its content, before it compiles either policy', async () => {
    const at = scratch();
    await tenet(['compile', at('p.policy'), '-o', at('w.artifact')]);
    expect(await tenet(['diff', at('p.policy'), at('w.artifact')])).toEqual({
      status: 2,
      stdout: '',
      stderr: `tenet diff: \`${at('w.artifact')}\` is a compiled artifact, not a policy source: compare the \`.policy\` files the artifacts were compiled from\n`,
    });
  });
});
