/**
 * What `tenet --help` and `tenet <command> --help` print: the general usage, and each command's usage, options,
 * exit statuses and an example. The one place the CLI's options are described for people.
 */

/** One command's help. */
interface CommandHelp {
  /** The command line, after `tenet `. */
  usage: string;
  /** What it does, in one line (the general usage lists these). */
  summary: string;
  /** More about it, in a few sentences. */
  description?: string;
  /** Each option, as written, and what it does. */
  options: readonly (readonly [string, string])[];
  /** What exit statuses 1 and 2 mean for it (0 is success). */
  exit: string;
  example: string;
}

const ROOT: readonly [string, string] = [
  '--root <dir>',
  'the folder a policy and its imports must be in (default: the current folder if the policy is under it, else the policy’s own)',
];
const KEY: readonly [string, string] = [
  '--key <public.pem>',
  'use a compiled artifact only if it is signed by this Ed25519 key',
];
const POLICY_EXIT = '1 the policy has errors; 2 wrong usage';
const WATCH: readonly [string, string] = [
  '--watch',
  'run again on each save of a policy, a file it imports or the policy it is compared with, and print what changed (until Ctrl-C: exit status 0)',
];

/** Every command's help, in the order the general usage lists them. */
export const COMMANDS: Readonly<Record<string, CommandHelp>> = {
  check: {
    usage: 'check <file|dir…|-> [--format text|json|sarif] [--deny-warnings] [--watch]',
    summary: 'parse and check policies; print every problem found',
    description:
      'Parses and checks each policy and the files it imports; prints every problem found, and what each clean policy holds. A folder stands for every .policy file under it; `-` reads one policy from standard input (named <stdin>).',
    options: [
      ['--format text|json|sarif', 'text for people (the default), JSON, or SARIF 2.1.0 for code scanning'],
      ['--deny-warnings', 'a warning fails the check, as an error does'],
      WATCH,
      ROOT,
    ],
    exit: '1 a policy has errors (or warnings, with --deny-warnings); 2 wrong usage',
    example: 'tenet check --format sarif policies > tenet.sarif',
  },
  fmt: {
    usage: 'fmt <file|dir…|-> [--check | --diff]',
    summary: 'rewrite policies in the canonical layout',
    description:
      'Rewrites each policy in the canonical layout. A folder stands for every .policy file under it; `-` formats standard input to standard output. A file with syntax errors is left alone.',
    options: [
      ['--check', 'write nothing; list the files that are not formatted'],
      ['--diff', 'write nothing; print a unified diff of what would change'],
    ],
    exit: '1 a file is not formatted (--check, --diff), has syntax errors, or cannot be read or written; 2 wrong usage',
    example: 'tenet fmt --diff policies',
  },
  compile: {
    usage: 'compile <policy> -o <file|-> [--sign <private.pem>]',
    summary: 'write the compiled policy the runtime loads, signed if asked',
    description:
      'Checks and compiles one policy and writes its artifact; `-o -` writes it to standard output. Then says what it holds and its size in bytes, on standard output (on standard error with `-o -`). The artifact may have any name: `decide`, `explain` and `graph` tell it by its content.',
    options: [
      ['-o, --output <file|->', 'where to write the artifact (required; `-`: standard output)'],
      ['--sign <private.pem>', 'sign the artifact with this Ed25519 private key'],
      ROOT,
    ],
    exit: '1 the policy has errors, or the artifact cannot be written; 2 wrong usage (a second policy, no -o)',
    example: 'tenet compile policies/wethersfield/confidentiality.policy -o wethersfield.json',
  },
  graph: {
    usage: 'graph <policy|artifact>',
    summary: 'print the decision graph (Graphviz dot)',
    description:
      'Prints the decision graph of one policy, a source or a compiled artifact, in Graphviz’s dot language.',
    options: [ROOT, KEY],
    exit: '1 the policy has errors, or the artifact cannot be read or is refused; 2 wrong usage (a second policy)',
    example: 'tenet graph wethersfield.json | dot -Tsvg > graph.svg',
  },
  decide: {
    usage: 'decide <policy|artifact> --query <file|-> [--format json|text]',
    summary: 'answer one query (JSON) or many (JSON Lines)',
    description:
      'A query over several lines, or a `.json` file of one line, gives one decision, pretty-printed. Otherwise each line is a query (JSON Lines, one line or many) and gets one answer a line, as soon as it is read, starting with its line number. An invalid query is denied in its place, with its errors, also told on standard error.',
    options: [
      ['-q, --query <file|->', 'the query, or queries, to answer (`-`: standard input)'],
      ['--format json|text', 'the decision as JSON (the default), or the explanation in words'],
      ROOT,
      KEY,
    ],
    exit: '1 the policy has errors, or the artifact cannot be read or is refused; 2 wrong usage, a query file that cannot be read, or an invalid query',
    example:
      'tenet decide wethersfield.json --query policies/wethersfield/queries/subpoena-without-good-cause.json',
  },
  explain: {
    usage: 'explain <policy|artifact> --query <file|-> [--format text|json]',
    summary: 'the answer in words, with what would have changed it',
    description:
      'As `decide`, the same input and exit statuses, with each answer in words for the desk: the decision and its reason, what to do now, what would have changed it, the law in force. In JSON Lines each answer is headed `# query on line N`.',
    options: [
      ['-q, --query <file|->', 'the query, or queries, to explain (`-`: standard input)'],
      ['--format text|json', 'the explanation in words (the default), or the decision as JSON with it'],
      ROOT,
      KEY,
    ],
    exit: '1 the policy has errors, or the artifact cannot be read or is refused; 2 wrong usage, a query file that cannot be read, or an invalid query',
    example:
      'tenet explain policies/wethersfield/confidentiality.policy --query policies/wethersfield/queries/reporter.json',
  },
  test: {
    usage: 'test <file|dir…> [--format text|json|junit|tap] [--filter <text>] [--verbose] [--watch]',
    summary: 'run the policies’ examples; list what no example reaches',
    description:
      'Runs each policy’s examples; shows each failure with the expected and the actual outcome; lists the rules and obligations no example reaches. A folder stands for every .policy file under it (one without a policy header is skipped).',
    options: [
      ['--format text|json|junit|tap', 'text for people (the default), JSON, JUnit XML or TAP version 14'],
      [
        '--filter <text>',
        'run only the examples whose name holds the text, or whose line it is (42, p.policy:42)',
      ],
      ['--verbose', 'show every example’s result, and every rule and obligation no example reaches'],
      WATCH,
      ROOT,
    ],
    exit: '1 an example failed, or a policy has errors; 2 wrong usage',
    example: 'tenet test policies --format junit > report.xml',
  },
  verify: {
    usage: 'verify <file|dir…> [--format text|json] [--deny-warnings] [--watch]',
    summary: 'prove every assertion, or show a query that breaks it',
    description:
      'Proves every assertion of each policy for every query its vocabulary allows, or shows a query that breaks it; proves every way a policy is looser than the law it is compared with is acknowledged. A folder stands for every .policy file under it (one without a policy header is skipped).',
    options: [
      ['--format text|json', 'text for people (the default), or JSON (also for a policy with errors)'],
      ['--json', 'deprecated: the same as --format json'],
      ['--deny-warnings', 'a warning fails the verification'],
      WATCH,
      ROOT,
    ],
    exit: '1 an assertion is false or undecided, a departure is not acknowledged, or a policy has errors; 2 wrong usage',
    example: 'tenet verify --format json policies/wethersfield',
  },
  diff: {
    usage: 'diff <a> <b> [--decisions-only] [--limit N] [--format text|json]',
    summary: 'the classes of queries two policies decide differently',
    description:
      'Compares two policy sources over the same vocabulary, exactly: each class of queries they decide differently (or with different duties), said to be looser, stricter or different in duties, with examples. Artifacts are refused: the comparison needs the sources.',
    options: [
      ['--decisions-only', 'compare decisions alone, not the duties they carry'],
      ['--limit N', 'show the first N classes (20 by default)'],
      ['--format text|json', 'for people (the default), or JSON'],
      ROOT,
    ],
    exit: '1 the policies differ, or have errors; 2 wrong usage (an artifact, a third file), or their vocabularies differ',
    example:
      'tenet diff policies/wethersfield/confidentiality.policy policies/connecticut/cgs-11-25b.policy --decisions-only',
  },
  schema: {
    usage: 'schema <policy|artifact> [--format json-schema|ts] [-o <file|->]',
    summary: 'the JSON Schema, or TypeScript types, of the policy’s queries',
    description:
      'Writes what a query of the policy holds, from its vocabulary: a JSON Schema (draft 2020-12), as strict as the runtime’s own checks, or TypeScript declarations, to standard output or to the file `-o` names. Given a compiled artifact it loads only the runtime.',
    options: [
      ['--format json-schema|ts', 'a JSON Schema (the default), or TypeScript declarations'],
      ['-o, --output <file|->', 'where to write it (standard output by default)'],
      ROOT,
      KEY,
    ],
    exit: '1 the policy has errors, or the file cannot be written; 2 wrong usage',
    example: 'tenet schema wethersfield.json --format ts -o wethersfield-query.d.ts',
  },
  render: {
    usage: 'render <policy> -o <dir> [--compare <policy>] [--no-pdf]',
    summary: 'the board document: index.html, and PDFs on Letter and A4',
    options: [
      ['-o, --output <dir>', 'the folder to write the document to (required)'],
      ['--compare <policy>', 'show where the policy departs from this one (the statute in force)'],
      ['--no-pdf', 'write the HTML alone'],
      ROOT,
    ],
    exit: POLICY_EXIT,
    example: 'tenet render policies/wethersfield/confidentiality.policy -o board/',
  },
};

/** Options every command takes. */
const GLOBAL_OPTIONS: readonly (readonly [string, string])[] = [
  [
    '--color auto|always|never',
    'colour diagnostics: on a terminal only (auto, the default), always, or never',
  ],
  ['-h, --help', 'show help: `tenet <command> --help` for one command'],
  ['--version', 'print the version'],
];

/** Lines of `rows` as two columns: the first padded to `width`, the second wrapped to the line. */
function columns(rows: readonly (readonly [string, string])[], width = 38): string {
  return rows
    .map(([left, right]) => {
      const words = right.split(' ');
      const lines: string[] = [];
      let line = '';
      for (const word of words) {
        if (line !== '' && width + 2 + line.length + 1 + word.length > 116) {
          lines.push(line);
          line = word;
        } else line = line === '' ? word : `${line} ${word}`;
      }
      lines.push(line);
      const first =
        left.length + 2 > width ? `  ${left}\n${' '.repeat(width + 2)}` : `  ${left.padEnd(width)}`;
      return first + lines.join(`\n${' '.repeat(width + 2)}`);
    })
    .join('\n');
}

/** `tenet --help`: every command in a line, the options every command takes, and the exit statuses. */
export function generalHelp(): string {
  const commands = Object.entries(COMMANDS).map(([name, c]) => [name, c.summary] as const);
  return `usage: tenet <command> [options] <file…>

commands:
${columns(commands, 10)}

options:
${columns(GLOBAL_OPTIONS)}

exit status: 0 success; 1 errors in the policy, or a failed test; 2 wrong usage or an invalid query
\`tenet <command> --help\` says more of each.
`;
}

/** `tenet <command> --help`: its usage, options, exit statuses and an example. */
export function commandHelp(name: string): string {
  const help = COMMANDS[name] as CommandHelp;
  return `usage: tenet ${help.usage}

${help.description ?? `${help.summary[0]?.toUpperCase()}${help.summary.slice(1)}.`}

options:
${columns([...help.options, ...GLOBAL_OPTIONS.slice(0, 2)])}

exit status: 0 success; ${help.exit}

example:
  $ ${help.example}
`;
}
