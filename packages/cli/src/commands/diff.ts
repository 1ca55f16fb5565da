import {
  type Comparison,
  compare,
  MAX_CASES,
  MAX_CLASSES,
  type Outcome,
  solverAttributes,
} from '@tenet/compiler';
import { type Context, type ExitStatus, FORMAT_OPTION, formatOf, options, UsageError } from '../context.js';
import { type LoadedSource, loadSources, policyFiles } from '../load.js';
import { visible } from '../report.js';

/** How many classes are shown unless `--limit` says otherwise. */
const LIMIT = 20;

/** How many cases of each class are shown (the shortest to describe); more are counted, and in `--format json`. */
const SHOWN = 2;

/** What a policy does, in words: `denies (resist-defective-process: "Release nothing …")`. */
function say(outcome: Outcome, says: ReadonlyMap<string, string>): string {
  const verb = outcome.decision === 'permit' ? 'permits' : 'denies';
  const some = (ids: readonly string[] = []) =>
    ids.length > 0 ? [`in some of these queries ${ids.join(', ')}`] : [];
  const rules = [
    ...outcome.rules.map((r) => `${r}: "${visible(says.get(r) ?? '')}"`),
    ...some(outcome.varying?.rules),
  ];
  const duties = [
    ...(outcome.obligations.length > 0 ? [outcome.obligations.join(', ')] : []),
    ...some(outcome.varying?.obligations),
  ];
  return `${verb} (${rules.join('; ') || 'by default: no rule applies'})${duties.length > 0 ? `, with ${duties.join('; ')}` : ''}`;
}

/** A count for people: `1,536`; past what can be told exactly, a power of two. */
function amount(n: number): string {
  return n < 1e15 ? n.toLocaleString('en-US') : `about 2^${Math.round(Math.log2(n))}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `--limit`: a whole number of classes, at least one. */
function limitOf(text: string | undefined): number {
  if (text === undefined) return LIMIT;
  if (!/^[1-9][0-9]*$/.test(text))
    throw new UsageError(`\`--limit\` takes a whole number of classes, not \`${text}\``);
  return Number(text);
}

/**
 * The summary: how many ways in all and how many cases (of those shown, with how many are not), then how many
 * combinations of the tests' outcomes the two decide differently, and whether ways were merged.
 */
function summary(left: string, right: string, comparison: Comparison): string {
  const { classes, total, count, combinations, merged } = comparison;
  const cases = `${plural(
    classes.reduce((n, c) => n + c.cases.length, 0),
    'case',
  )}${classes.some((c) => !c.complete) ? ' or more' : ''}`;
  const ways = `${merged ? 'at least ' : ''}${plural(total, 'way')}`;
  const shown =
    classes.length === total
      ? cases
      : `the first ${classes.length} shown, ${cases}; ${total - classes.length} not shown: see --limit`;
  const mergedNote = merged
    ? ` Past ${MAX_CLASSES} ways, ways that differ only in which rules decide or which duties apply are counted as one: what varies is said "in some of these queries".`
    : '';
  return `${left} and ${right} differ in ${ways} (${shown}):\nThey decide ${amount(count)} of the ${amount(combinations)} combinations of their tests' outcomes differently.${mergedNote}\n`;
}

/**
 * `tenet diff <a> <b> [--decisions-only] [--limit N] [--format text|json] [--root <dir>]`: the classes of queries
 * two policy sources decide differently, each in the vocabulary's words with examples, counted; the first `--limit`
 * (20) of them. Exit 0 when they agree, 1 when they differ. Each policy imports only from under its own folder, or
 * both from under `--root`.
 */
export async function diffCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(
    args,
    {
      ...FORMAT_OPTION,
      'decisions-only': { type: 'boolean' },
      limit: { type: 'string' },
      root: { type: 'string' },
    },
    2,
  );
  const [first, second] = policyFiles(positionals, 2, 'run `tenet diff <a> <b>` once for each pair');
  const format = formatOf(values.format, ['text', 'json'], 'text');
  const limit = limitOf(values.limit);
  const loaded = await loadSources(
    ctx,
    [first, second],
    { root: values.root },
    'compare the `.policy` files the artifacts were compiled from',
  );
  if (!loaded) return 1;
  const [a, b] = loaded as [LoadedSource, LoadedSource];
  let comparison: Comparison;
  try {
    comparison = compare(a.checked, b.checked, solverAttributes(a.artifact.vocabulary), {
      decisionsOnly: values['decisions-only'] === true,
      limit,
    });
  } catch (error) {
    // The diagrams of both policies over their atoms together can pass a size each alone stays within.
    if (!(error instanceof RangeError)) throw error;
    ctx.io.stderr(`tenet diff: the two policies are too large to compare: ${error.message}\n`);
    return 1;
  }
  if (comparison.problems.length > 0) {
    for (const problem of comparison.problems) ctx.io.stderr(`tenet diff: ${problem}\n`);
    ctx.io.stderr(
      'tenet diff: the two policies must be written over the same vocabulary (import one file of entities)\n',
    );
    return 2;
  }
  const { classes, total } = comparison;
  if (format === 'json') {
    const { count, combinations, merged } = comparison;
    const cases = classes.reduce((n, c) => n + c.cases.length, 0);
    // What the lists below are cut at: `--limit` classes, and so many cases of each.
    const bounded = { classes: limit, casesPerClass: MAX_CASES };
    const json = {
      left: first,
      right: second,
      total,
      shown: classes.length,
      count,
      combinations,
      merged,
      bounded,
    };
    ctx.io.stdout(`${JSON.stringify({ ...json, classes, cases }, null, 2)}\n`);
    return total > 0 ? 1 : 0;
  }
  const [left, right] = [a.artifact.policy.id, b.artifact.policy.id];
  if (total === 0) {
    ctx.io.stdout(
      `${left} and ${right} decide every query alike${values['decisions-only'] ? '' : ', with the same obligations'}\n`,
    );
    return 0;
  }
  // Each side's own words: the two may give one rule id different texts.
  const saysOf = (p: { artifact: { rules: readonly { id: string; says?: string }[] } }) =>
    new Map(p.artifact.rules.map((r) => [r.id, r.says ?? '']));
  const [saysLeft, saysRight] = [saysOf(a), saysOf(b)];
  ctx.io.stdout(summary(left, right, comparison));
  classes.forEach((c, i) => {
    const shortest = [...c.cases].sort((x, y) => x.conditions.length - y.conditions.length);
    const kind = {
      looser: `${left} is looser: it permits what ${right} denies`,
      stricter: `${left} is stricter: it denies what ${right} permits`,
      duties: 'the same decision, with different duties',
    }[c.kind];
    ctx.io.stdout(
      `\n${i + 1}. ${kind}.\n   ${left} ${say(c.left, saysLeft)};\n   ${right} ${say(c.right, saysRight)}.\n`,
    );
    const cases = `${plural(c.cases.length, 'case')}${c.complete ? '' : ' or more'}`;
    ctx.io.stdout(`   In ${cases} (${amount(c.count)} combination${c.count === 1 ? '' : 's'}), such as:\n`);
    for (const example of shortest.slice(0, SHOWN)) {
      ctx.io.stdout(
        `   - when ${example.conditions.join(', ') || 'always'}\n     e.g. ${JSON.stringify(example.example)}\n`,
      );
    }
  });
  return 1;
}
