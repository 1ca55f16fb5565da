import { type Context, type ExitStatus, options, UsageError } from '../context.js';
import { loadPolicy } from '../load.js';
import { visible } from '../report.js';

const same = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

function outcome(
  decision: string,
  rules: readonly string[] | undefined,
  obligations: readonly string[],
): string {
  const by = rules && rules.length > 0 ? ` by ${rules.join(', ')}` : '';
  const carrying = obligations.length > 0 ? ` with ${obligations.join(', ')}` : ' with no obligations';
  return `${decision}${by}${carrying}`;
}

/**
 * `tenet test <policy> [--root <dir>]`: runs every example; shows each failure with the expected and the actual
 * outcome; lists the rules and obligations that no example reaches. The policy imports only from under its own
 * folder, or from under `--root`.
 */
export async function testCommand(ctx: Context, args: string[]): Promise<ExitStatus> {
  const { positionals, values } = options(args, { root: { type: 'string' } }, 1);
  const file = positionals[0] as string;
  if (file.endsWith('.json'))
    throw new UsageError('examples live in the `.policy` source: test the policy, not its artifact');
  const loaded = await loadPolicy(ctx, file, { root: values.root });
  if (!loaded) return 1;
  const { artifact, engine } = loaded;
  const examples = loaded.examples ?? [];
  const reachedRules = new Set<number>();
  const reachedObligations = new Set<number>();
  let failed = 0;
  for (const example of examples) {
    const at = example.declaration.description.span.start;
    const decision = engine.decide(example.query);
    const trace = engine.trace(example.query);
    if ('outcome' in trace) {
      for (const r of trace.outcome.matched) reachedRules.add(r);
      for (const o of trace.outcome.obligations) reachedObligations.add(o);
    }
    const rules = decision.reasons.filter((r) => r.effect !== 'default').map((r) => r.rule);
    const obligations = decision.obligations.map((o) => o.id);
    const { expect } = example;
    const passed =
      decision.errors.length === 0 &&
      decision.decision === expect.decision &&
      same(obligations, expect.obligations) &&
      (!expect.rules || same(rules, expect.rules));
    if (passed) continue;
    failed++;
    ctx.io.stdout(
      `${visible(file)}:${at.line}:${at.column}: example "${visible(example.description)}" failed\n`,
    );
    ctx.io.stdout(`  expected: ${outcome(expect.decision, expect.rules, expect.obligations)}\n`);
    ctx.io.stdout(`  actual:   ${outcome(decision.decision, rules, obligations)}\n`);
    for (const reason of decision.reasons)
      ctx.io.stdout(`    because ${reason.rule}: ${visible(reason.text)}\n`);
    for (const error of decision.errors) ctx.io.stdout(`    invalid: ${visible(error.message)}\n`);
  }
  const unreachedRules = artifact.rules.filter((_, i) => !reachedRules.has(i)).map((r) => r.id);
  const unreachedObligations = artifact.obligations
    .filter((_, i) => !reachedObligations.has(i))
    .map((o) => o.id);
  ctx.io.stdout(`${examples.length} examples: ${examples.length - failed} passed, ${failed} failed\n`);
  const coverage = (unreached: string[], all: number, what: string, verbs: string, done: string) =>
    all === 0
      ? `the policy has no ${what}s\n`
      : unreached.length > 0
        ? `${what}s no example ${verbs}: ${unreached.join(', ')}\n`
        : `every ${what} is ${done} by an example (${all} ${what}${all === 1 ? '' : 's'})\n`;
  ctx.io.stdout(coverage(unreachedRules, artifact.rules.length, 'rule', 'reaches', 'reached'));
  ctx.io.stdout(
    coverage(unreachedObligations, artifact.obligations.length, 'obligation', 'triggers', 'triggered'),
  );
  return failed > 0 ? 1 : 0;
}
