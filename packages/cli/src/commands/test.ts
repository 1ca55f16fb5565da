import type { Leaf } from '@tenet/runtime';
import { type Context, type ExitStatus, options, UsageError } from '../context.js';
import { loadPolicy } from '../load.js';

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
 * `tenet test <policy>`: runs every example; shows each failure with the expected and the actual outcome; lists the
 * rules and obligations that no example reaches.
 */
export function testCommand(ctx: Context, args: string[]): ExitStatus {
  const { positionals } = options(args, {}, 1);
  const file = positionals[0] as string;
  if (file.endsWith('.json'))
    throw new UsageError('examples live in the `.policy` source: test the policy, not its artifact');
  const loaded = loadPolicy(ctx, file);
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
    if ('leaf' in trace) {
      const leaf: Leaf = trace.leaf;
      for (const r of leaf.matched) reachedRules.add(r);
      for (const o of leaf.obligations) reachedObligations.add(o);
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
    ctx.io.stdout(`${file}:${at.line}:${at.column}: example "${example.description}" failed\n`);
    ctx.io.stdout(`  expected: ${outcome(expect.decision, expect.rules, expect.obligations)}\n`);
    ctx.io.stdout(`  actual:   ${outcome(decision.decision, rules, obligations)}\n`);
    for (const reason of decision.reasons) ctx.io.stdout(`    because ${reason.rule}: ${reason.text}\n`);
    for (const error of decision.errors) ctx.io.stdout(`    invalid: ${error.message}\n`);
  }
  const unreachedRules = artifact.rules.filter((_, i) => !reachedRules.has(i)).map((r) => r.id);
  const unreachedObligations = artifact.obligations
    .filter((_, i) => !reachedObligations.has(i))
    .map((o) => o.id);
  ctx.io.stdout(`${examples.length} examples: ${examples.length - failed} passed, ${failed} failed\n`);
  ctx.io.stdout(
    unreachedRules.length > 0
      ? `rules no example reaches: ${unreachedRules.join(', ')}\n`
      : `every rule is reached by an example (${artifact.rules.length} rules)\n`,
  );
  ctx.io.stdout(
    unreachedObligations.length > 0
      ? `obligations no example triggers: ${unreachedObligations.join(', ')}\n`
      : `every obligation is triggered by an example (${artifact.obligations.length} obligations)\n`,
  );
  return failed > 0 ? 1 : 0;
}
