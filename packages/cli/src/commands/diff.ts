import { compare, type Outcome, solverAttributes } from '@tenet/compiler';
import { type Context, type ExitStatus, options, UsageError } from '../context.js';
import { loadPolicy } from '../load.js';
import { visible } from '../report.js';

/** What a policy does, in words: `denies (resist-defective-process: "Release nothing …")`. */
function say(outcome: Outcome, says: ReadonlyMap<string, string>): string {
  const verb = outcome.decision === 'permit' ? 'permits' : 'denies';
  const rules = outcome.rules.map((r) => `${r}: "${visible(says.get(r) ?? '')}"`).join('; ');
  const duties = outcome.obligations.length > 0 ? `, with ${outcome.obligations.join(', ')}` : '';
  return `${verb} (${rules || 'by default: no rule applies'})${duties}`;
}

/** How many cases of each class are shown (the shortest to describe); all are counted, and all are in `--json`. */
const SHOWN = 2;

/**
 * `tenet diff <a> <b> [--decisions-only] [--json] [--root <dir>]`: the classes of queries two policies decide
 * differently, each in the vocabulary's words with an example query, counted. Exit 0 when they agree, 1 when they
 * differ. Each policy imports only from under its own folder, or both from under `--root`.
 */
export async function diffCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(
    args,
    { json: { type: 'boolean' }, 'decisions-only': { type: 'boolean' }, root: { type: 'string' } },
    2,
  );
  const [first, second] = positionals as [string, string];
  if (first.endsWith('.json') || second.endsWith('.json'))
    throw new UsageError('compare the `.policy` sources, not artifacts');
  const a = await loadPolicy(ctx, first, { root: values.root });
  const b = await loadPolicy(ctx, second, { root: values.root });
  if (!a?.checked || !b?.checked) return 1;
  let comparison: ReturnType<typeof compare>;
  try {
    comparison = compare(a.checked, b.checked, solverAttributes(a.artifact.vocabulary), {
      decisionsOnly: values['decisions-only'] === true,
    });
  } catch (error) {
    // The graphs of both policies over their atoms together can pass a size each alone stays within.
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
  const { classes } = comparison;
  const cases = classes.reduce((n, c) => n + c.cases.length, 0);
  if (values.json) {
    ctx.io.stdout(`${JSON.stringify({ left: first, right: second, classes, cases }, null, 2)}\n`);
    return classes.length > 0 ? 1 : 0;
  }
  const [left, right] = [a.artifact.policy.id, b.artifact.policy.id];
  if (classes.length === 0) {
    ctx.io.stdout(
      `${left} and ${right} decide every query alike${values['decisions-only'] ? '' : ', with the same obligations'}\n`,
    );
    return 0;
  }
  const says = new Map([...a.artifact.rules, ...b.artifact.rules].map((r) => [r.id, r.says ?? '']));
  ctx.io.stdout(
    `${left} and ${right} differ in ${classes.length} way${classes.length === 1 ? '' : 's'} (${cases} case${cases === 1 ? '' : 's'}):\n`,
  );
  classes.forEach((c, i) => {
    const shortest = [...c.cases].sort((x, y) => x.conditions.length - y.conditions.length);
    const kind = {
      looser: `${left} is looser: it permits what ${right} denies`,
      stricter: `${left} is stricter: it denies what ${right} permits`,
      duties: 'the same decision, with different duties',
    }[c.kind];
    ctx.io.stdout(
      `\n${i + 1}. ${kind}.\n   ${left} ${say(c.left, says)};\n   ${right} ${say(c.right, says)}.\n`,
    );
    ctx.io.stdout(`   In ${c.cases.length} case${c.cases.length === 1 ? '' : 's'}, such as:\n`);
    for (const example of shortest.slice(0, SHOWN)) {
      ctx.io.stdout(
        `   - when ${example.conditions.join(', ') || 'always'}\n     e.g. ${JSON.stringify(example.example)}\n`,
      );
    }
  });
  return 1;
}
