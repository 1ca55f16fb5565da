import {
  analyze,
  compare,
  decisionsGraph,
  dutiesOf,
  examplesOf,
  type Formula,
  holds,
  lowerTogether,
  solverAttributes,
  toDot,
} from '@tenet/compiler';
import type { CheckedPolicy, Diagnostic, RuleDeclaration } from '@tenet/language';
import { type Artifact, type Atom, createEngine, type Decision, explain, type Value } from '@tenet/runtime';
import { instance } from '@viz-js/viz';
import { escapeHtml, html, Markup, paragraphs } from './html.js';
import { type Cell, type Matrix, matrices } from './matrix.js';
import { textChanges } from './redline.js';
import { STYLE } from './style.js';
import {
  atomQuestion,
  attributeWords,
  capitalised,
  clause,
  conditionWords,
  queryWords,
  valueWords,
  vocabularyOf,
} from './words.js';

/** A policy as the board document needs it: checked, compiled, and what checking it found. */
export interface RenderedPolicy {
  file: string;
  checked: CheckedPolicy;
  artifact: Artifact;
  diagnostics: readonly Diagnostic[];
}

/** What {@link renderBoard} renders. */
export interface BoardInput extends RenderedPolicy {
  /** The policy to compare with: the statute in force, or an earlier version of the same policy. */
  compare?: RenderedPolicy;
  /** When the document is rendered: its date is printed on the title page. */
  renderedAt: Date;
}

type Query = Record<string, Record<string, Value>>;

/** The most questions one picture of the decision graph holds before it is split, to stay legible in print. */
const LEGIBLE = 20;

/**
 * The board document: one self-contained HTML page (styles inline, the decision graph as inline SVG, no script, no
 * request to any network) generated from the same checked policy and artifact the engine runs, so that what the Board
 * approves is what the software does. Every answer in it is computed: the matrices and examples by the engine, the
 * guarantees and departures by the analyzer, the comparison by `compare`.
 *
 * @example
 * const page = await renderBoard({ file, checked, artifact, diagnostics, renderedAt: new Date() });
 */
export async function renderBoard(input: BoardInput): Promise<string> {
  const { checked, artifact } = input;
  const vocabulary = vocabularyOf(artifact.vocabulary);
  const attributes = solverAttributes(artifact.vocabulary);
  const engine = createEngine(artifact);
  const analysis = analyze(checked, attributes);
  const duties = dutiesOf(checked, attributes);
  const ruleNumber = new Map(artifact.rules.map((r, i) => [r.id, i + 1]));
  const dutyNumber = new Map(artifact.obligations.map((o, i) => [o.id, i + 1]));
  const citation = new Map(artifact.citations.map((c) => [c.id, c]));
  const cite = (ids: readonly string[]) =>
    ids
      .map((id) => citation.get(id))
      .filter((c) => c !== undefined)
      .map((c) =>
        c.kind === 'section'
          ? html`<a href="#section-${c.id}">Policy, ${c.label}</a>`
          : c.kind === 'interpretation'
            ? html`<a href="#reading-${c.id}">Interpretation: ${c.label}</a>`
            : html`<a href="#law-${c.id}">${c.label}${c.superseded ? ` (${c.enactedBy ?? 'text'}, replaced ${c.superseded})` : ''}</a>`,
      );
  const joined = (parts: Markup[]) => html`${parts.map((p, i) => html`${i > 0 ? '; ' : ''}${p}`)}`;
  const ruleLink = (id: string) => html`<a href="#rule-${id}">R${ruleNumber.get(id) ?? '?'}</a>`;
  const dutyLink = (id: string) => html`<a href="#duty-${id}">D${dutyNumber.get(id) ?? '?'}</a>`;
  const answer = (d: Decision) =>
    d.decision === 'permit' ? html`<strong class="yes">Yes</strong>` : html`<strong class="no">No</strong>`;

  const lowered = lowerTogether([checked], { assertions: true }).value[0];
  const atomsOf = (f: Formula): number[] =>
    f.kind === 'atom'
      ? [f.atom]
      : f.kind === 'not'
        ? atomsOf(f.operand)
        : f.kind === 'const'
          ? []
          : f.operands.flatMap(atomsOf);
  /** The facts tested beside a membership of `set` in one rule: what makes the membership matter. */
  const together = (set: string) => [
    ...new Set(
      (lowered?.rules ?? []).flatMap((r) => {
        const atoms = atomsOf(r.when).map((a) => lowered?.atoms[a]);
        if (!atoms.some((a) => a?.kind === 'member' && a.set === set)) return [];
        return atoms.flatMap((a) =>
          a?.kind === 'true' && vocabulary.get(a.attribute)?.advice === 'never' ? [a.attribute] : [],
        );
      }),
    ),
  ];

  const title = artifact.policy.title;
  const contents: [string, string][] = [];
  const part = (id: string, heading: string, body: Markup) => {
    contents.push([id, heading]);
    return html`<section class="part" id="${id}" aria-labelledby="h-${id}"><h2 id="h-${id}">${heading}</h2>${body}</section>`;
  };

  // The policy, section by section.
  const sectionOf = (d: Parameters<CheckedPolicy['sectionOf']['get']>[0]) =>
    checked.sectionOf.get(d)?.id.text;
  const ruleArticle = (rule: RuleDeclaration, i: number) => {
    const spec = artifact.rules[i];
    return html`<article class="rule" id="rule-${rule.id.text}" aria-labelledby="h-rule-${rule.id.text}">
      <h4 id="h-rule-${rule.id.text}"><span class="tag">R${i + 1}</span> ${rule.effect === 'permit' ? 'Permits' : 'Forbids'}: ${spec?.says ?? rule.id.text}</h4>
      <p><span class="term">Exactly when:</span> ${rule.when ? conditionWords(rule.when, checked, vocabulary) : 'always'}.</p>
      <p><span class="term">Rests on:</span> ${joined(cite(spec?.citations ?? []))}.</p>
      <p><span class="term">Duties its decisions can carry:</span> ${
        (duties[i] ?? []).length > 0
          ? joined(
              (duties[i] ?? []).map(
                (d) => html`${dutyLink(d)} ${artifact.obligations[(dutyNumber.get(d) ?? 1) - 1]?.title ?? d}`,
              ),
            )
          : 'none'
      }.</p>
    </article>`;
  };
  const dutyArticle = (id: string) => {
    const spec = artifact.obligations[(dutyNumber.get(id) ?? 1) - 1];
    const when = checked.requirements.filter((r) => r.obligation.text === id);
    return html`<article class="duty" id="duty-${id}" aria-labelledby="h-duty-${id}">
      <h4 id="h-duty-${id}"><span class="tag">D${dutyNumber.get(id)}</span> Duty: ${spec?.title ?? id}</h4>
      ${paragraphs(spec?.says ?? '')}
      <p><span class="term">Whenever:</span> ${when.map((r, k) => html`${k > 0 ? '; or ' : ''}${r.when ? conditionWords(r.when, checked, vocabulary) : 'always'}`)}.</p>
      <p><span class="term">Rests on:</span> ${joined(cite(spec?.citations ?? []))}.</p>
    </article>`;
  };
  const sections = [...checked.sections.values()].map((section) => {
    const id = section.id.text;
    const rules = checked.rules.flatMap((r, i) => (sectionOf(r) === id ? [ruleArticle(r, i)] : []));
    const owned = [...checked.obligations.values()]
      .filter((o) => sectionOf(o) === id)
      .map((o) => dutyArticle(o.id.text));
    // The law its rules cite, quoted once beside them.
    const cited = [
      ...new Set(
        checked.rules.flatMap((r, i) => (sectionOf(r) === id ? (artifact.rules[i]?.citations ?? []) : [])),
      ),
    ]
      .map((c) => citation.get(c))
      .filter((c) => c?.kind === 'authority' && c.text);
    const law = cited.map(
      (c) =>
        html`<blockquote class="law"><p class="source">${c?.label}${c?.superseded ? ` as ${c.enactedBy ?? 'first'} enacted it, replaced ${longDate(c.superseded)}` : ', as in force'}, which these rules cite:</p>${paragraphs(c?.text ?? '')}</blockquote>`,
    );
    return html`<section class="policy-section" id="section-${id}" aria-labelledby="h-section-${id}">
      <h3 id="h-section-${id}">${section.title.value}</h3>
      ${section.quote ? html`<blockquote class="seed"><p class="source">The policy's text:</p>${paragraphs(section.quote.value)}</blockquote>` : ''}
      ${rules.length + owned.length > 0 ? html`${rules}${owned}${law}` : html`<p class="quiet">No rule is written under this section: it states principles the rules of other sections apply.</p>`}
    </section>`;
  });

  const sectionsPart = part(
    'sections',
    'The policy, section by section',
    html`<p>Each section quotes the policy's own text, then the rules that implement it: what each rule does in the author's words, exactly when it applies (generated from the rule itself), what it rests on, the duties its decisions can carry, and the law it cites.</p>${sections}`,
  );

  // Who may see a record.
  const tables = matrices(artifact, engine, vocabulary, together);
  const cellMarkup = (cell: Cell) => {
    const d = cell.decision;
    const rules = d.reasons
      .filter((r) => r.effect !== 'default' && r.effect !== 'refusal')
      .map((r) => ruleLink(r.rule));
    return html`<td><span class="answer">${answer(d)} <span class="by">by ${rules.length > 0 ? joined(rules) : 'default'}</span></span>${
      d.obligations.length > 0
        ? html`<br><span class="duties">${joined(d.obligations.map((o) => dutyLink(o.id)))}</span>`
        : ''
    }</td>`;
  };
  const table = (m: Matrix) => html`<table class="matrix">
    <caption>${m.caption}</caption>
    <thead><tr><th scope="col">${m.corner}</th>${m.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
    <tbody>${m.rows.map((r, i) => html`<tr><th scope="row">${r}</th>${(m.cells[i] ?? []).map(cellMarkup)}</tr>`)}</tbody>
  </table>${m.note ? html`<p class="note">${m.note}</p>` : ''}`;
  const legend = html`<p class="legend">Each cell is the software's answer to that question, with the rule that decides it (R…) and the duties it brings (D…):
    ${joined(artifact.obligations.map((o, i) => html`D${i + 1} ${o.title ?? o.id}`))}. Everyone else asking is asking about someone else's record.</p>`;
  const matrixPart = part(
    'who-may-see',
    "Who may see a patron's record",
    html`${legend}${tables.map(table)}`,
  );

  // The decision graph: the decisions alone (the duties are in the matrix), one picture for each purpose a record
  // can be wanted for, so that each is small enough to read when printed.
  const viz = await instance();
  const enumerations = artifact.vocabulary
    .flatMap((e) => e.attributes.map((spec) => ({ path: `${e.name}.${spec.name}`, spec })))
    .filter(({ spec }) => spec.type.kind === 'enum' && spec.default !== undefined);
  const purposes = enumerations.find(({ spec }) => spec.advice === 'never');
  const process = enumerations.find(({ spec }) => spec.advice === undefined);
  type View = { caption: string; fixed: Map<string, string>; decisions: ReturnType<typeof decisionsGraph> };
  const view = (caption: string, fixed: Map<string, string>): View => ({
    caption,
    fixed,
    decisions: decisionsGraph(checked, fixed),
  });
  const split = (v: View, by: typeof process): View[] =>
    by && by.spec.type.kind === 'enum' && v.decisions.graph.nodes.length > LEGIBLE
      ? by.spec.type.values.map((value) =>
          view(
            `${v.caption}, with ${valueWords(by.path, value, vocabulary)}`,
            new Map([...v.fixed, [by.path, value]]),
          ),
        )
      : [v];
  const views =
    purposes?.spec.type.kind === 'enum'
      ? purposes.spec.type.values.flatMap((v) =>
          split(
            view(
              `When the record is wanted ${valueWords(purposes.path, v, vocabulary)}`,
              new Map([[purposes.path, v]]),
            ),
            process,
          ),
        )
      : split(view('Every question', new Map()), process);
  const figures = views.map(({ caption, decisions }, k) => {
    const dot = toDot(
      { ...artifact, ...decisions },
      {
        // Graphviz reads `&…;` in a label as a character reference: an author's `&` is text.
        atom: (a) => wrap(atomQuestion(a, vocabulary)).replace(/&/g, '&amp;'),
        rule: (r) => `R${r + 1} ${artifact.rules[r]?.effect === 'forbid' ? 'forbids' : 'permits'}`,
      },
    ).replace(
      'node [fontname="Helvetica", fontsize=10];',
      'rankdir=LR; ranksep=0.25; nodesep=0.12; node [fontname="Helvetica", fontsize=12, margin="0.08,0.04"];',
    );
    const svg = viz
      .renderString(dot, { format: 'svg' })
      .replace(/^<\?xml[^>]*>\s*/, '')
      .replace(/<!DOCTYPE[^>]*>\s*/, '')
      .replace(/<!--[\s\S]*?-->\s*/g, '')
      .replace(/<title>[^<]*<\/title>/g, '')
      // Graphviz names its elements graph0, node1, …, alike in every picture: made unique on the page.
      .replace(/ id="([^"]*)"/g, ` id="figure-${k + 1}-$1"`);
    const questions = decisions.graph.nodes.length;
    return html`<figure class="graph" id="graph-${k + 1}"><div class="svg" role="img" aria-label="${`${caption}: the decision graph, ${questions} question${questions === 1 ? '' : 's'} leading to each answer, every answer an oval naming the rules that decide it.`}">${new Markup(svg)}</div>
    <figcaption>Figure ${k + 1}. ${caption}: ${questions} question${questions === 1 ? '' : 's'}.</figcaption></figure>`;
  });
  const graphPart = part(
    'graph',
    'How the software decides: the decision graph',
    html`<p>Every question the software is asked follows one path through these graphs, from the left. Each box asks one thing of the question (a solid arrow when the answer is yes, a dashed one when no); each oval names the rules (R…) that decide the answer there. A forbidding rule wins over any permitting one, and where no rule applies the answer is no. The duties each answer brings are in the matrix above.</p>${figures}`,
  );

  // The guarantees.
  const guarantees = analysis.assertions.map((a) => {
    const counter = a.counterexample ? engine.decide(a.counterexample) : undefined;
    return html`<li class="${a.status}"><p><strong>${a.description ?? a.id}</strong></p><p>${
      a.status === 'proved'
        ? html`<span class="yes">Holds</span> for every possible question, as the analyzer proved.`
        : a.status === 'false'
          ? html`<span class="no">Does not hold.</span> For example: ${queryWords(a.counterexample as Query, vocabulary).join('; ')}. The software answers ${counter?.decision === 'permit' ? 'yes' : 'no'}.`
          : html`<span class="no">Not decided</span> by the analyzer.`
    }</p></li>`;
  });
  const proved = analysis.assertions.filter((a) => a.status === 'proved').length;
  const guaranteePart = part(
    'guarantees',
    'The guarantees',
    html`<p>The policy states ${analysis.assertions.length} guarantees. Each is checked for every possible question, not by sampling: ${proved} of ${analysis.assertions.length} hold.</p><ol class="guarantees">${guarantees}</ol>`,
  );

  // The worked examples.
  const examples = examplesOf(checked).map(({ description, query }) => {
    const decision = engine.decide(query);
    const text = explain(decision).split('\n\n')[0] ?? '';
    return html`<div class="example"><p class="question"><span class="term">Q.</span> ${description}</p>
      <p class="answer"><span class="term">A.</span> ${text}${
        decision.obligations.length > 0
          ? html` <span class="duties">Duties: ${joined(decision.obligations.map((o) => dutyLink(o.id)))}.</span>`
          : ''
      }</p></div>`;
  });
  const examplePart = part(
    'examples',
    'Worked examples',
    html`<p>Questions the policy's author wrote down with the answer they expect; each is asked of the software when the policy is tested, and every one gets the answer written here.</p>${examples}`,
  );

  // Interpretations and open questions.
  const readings = checked.interpretations.map((r) => {
    const departures = r.departures.map(
      (d) =>
        html`<p class="departure ${d.kind}"><strong>${d.kind === 'looser' ? 'Here the policy releases more than the law in force allows' : 'Here the policy releases less than the law in force allows'}:</strong> when ${d.when ? conditionWords(d.when, checked, vocabulary) : 'always'}.</p>`,
    );
    return html`<article class="reading" id="reading-${r.id.text}" aria-labelledby="h-reading-${r.id.text}"><h3 id="h-reading-${r.id.text}">${r.title?.value ?? r.id.text}</h3>${paragraphs(r.says?.value ?? '')}${departures}<p class="cites"><span class="term">Reads:</span> ${joined(cite(r.because.map((n) => n.text)))}.</p></article>`;
  });
  const readingPart = part(
    'interpretations',
    'Interpretations and open questions for the Board',
    html`<p>Where the policy's text is unclear, or meets the law in force, the policy records the reading it takes. Those that depart from the law are marked; each is a question the Board may wish to settle.</p>${readings}`,
  );

  // The comparison.
  const comparePart = input.compare
    ? part(
        'comparison',
        comparisonHeading(input),
        comparison(input, { engine, vocabulary, attributes, lowered }, ruleLink),
      )
    : html``;

  // The law.
  const laws = artifact.citations.filter((c) => c.kind === 'authority');
  const lawPart = part(
    'law',
    'The law quoted',
    html`${laws.map(
      (c) =>
        html`<article class="authority" id="law-${c.id}" aria-labelledby="h-law-${c.id}"><h3 id="h-law-${c.id}">${c.label}${c.title ? html`: ${c.title}` : ''}</h3><p class="version">${[
          c.enactedBy ? `Enacted by ${c.enactedBy}` : '',
          c.amendedBy?.length ? `amended by ${c.amendedBy.join(', ')}` : '',
          c.effective ? `in force from ${c.effective}` : '',
          c.superseded
            ? `replaced on ${c.superseded}${c.supersededBy ? ` by ${citation.get(c.supersededBy)?.label ?? c.supersededBy} (${citation.get(c.supersededBy)?.amendedBy?.at(-1) ?? 'its successor'})` : ''}`
            : 'in force',
        ]
          .filter(Boolean)
          .join(', ')}.</p>${c.text ? html`<blockquote>${paragraphs(c.text)}</blockquote>` : ''}</article>`,
    )}`,
  );

  // The glossary.
  const glossary = part(
    'glossary',
    'Glossary: the words of a question',
    html`${artifact.vocabulary.map(
      (entity) =>
        html`<h3>${capitalised(entity.name)}${entity.description ? html`: ${clause(entity.description)}` : ''}</h3><dl class="glossary">${entity.attributes.map(
          (a) => {
            const path = `${entity.name}.${a.name}`;
            const values =
              a.type.kind === 'enum'
                ? a.type.values
                : a.type.kind === 'set' && a.type.element.kind === 'enum'
                  ? a.type.element.values
                  : [];
            return html`<dt>${capitalised(attributeWords(path, vocabulary))}</dt><dd>${a.description ?? ''}${
              values.length > 0
                ? html` One of: ${values.map((v, i) => html`${i > 0 ? '; ' : ''}${valueWords(path, v, vocabulary)}`)}.`
                : ''
            }${a.default !== undefined ? html` Unless said otherwise: ${valueWords(path, a.default, vocabulary)}.` : ''}</dd>`;
          },
        )}</dl>`,
    )}`,
  );

  // What checking found.
  const problems = input.diagnostics.filter((d) => d.severity !== 'info');
  const checkPart = part(
    'check',
    'What checking the policy found',
    problems.length === 0
      ? html`<p>The policy checks clean: every name it uses is declared, every rule cites its authority, every example gets its expected answer, and every guarantee is proved.</p>`
      : html`<ul>${problems.map((d) => html`<li>${d.severity === 'error' ? 'Error' : 'Warning'}${d.span ? ` (line ${d.span.start.line})` : ''}: ${d.message}</li>`)}</ul>`,
  );

  const history = artifact.policy.history.map(
    (h) => html`<li>${capitalised(h.event)} ${longDate(h.date)}${h.by ? ` by ${h.by}` : ''}</li>`,
  );
  const body = html`<header class="title-page">
      <p class="owner">${artifact.policy.owner ?? ''}</p>
      <h1>${title}</h1>
      <p class="version">Version of ${artifact.policy.version ? longDate(artifact.policy.version) : 'no date'}</p>
      <ul class="history" aria-label="History">${history}</ul>
      <dl class="identity">
        <dt>Rendered</dt><dd>${longDate(input.renderedAt.toISOString().slice(0, 10))}, from <code>${input.file}</code></dd>
        <dt>Artifact hash</dt><dd><code class="hash">${artifact.hash}</code></dd>
      </dl>
      <p class="hash-note">The hash identifies exactly the compiled policy the software runs: a printed copy whose hash matches the one the software reports is this policy.</p>
    </header>
    <main>
    ${sectionsPart}${matrixPart}${graphPart}${guaranteePart}${examplePart}${readingPart}${comparePart}${lawPart}${glossary}${checkPart}
    </main>`;
  const nav = html`<nav class="contents" aria-labelledby="h-contents"><h2 id="h-contents">Contents</h2><ol>${contents.map(([id, h]) => html`<li><a href="#${id}">${h}</a></li>`)}</ol></nav>`;
  const [header, main] = body.text.split('<main>') as [string, string];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(`${title}: the board document`)}</title>
<style>${STYLE}</style>
</head>
<body>
${header}${nav.text}<main>${main}
</body>
</html>
`;
}

/** Whether the policy compared with is an earlier version of the same policy, not another (the law). */
const isRevision = (input: BoardInput) => input.compare?.artifact.policy.id === input.artifact.policy.id;

function comparisonHeading(input: BoardInput): string {
  const other = input.compare as RenderedPolicy;
  return isRevision(input)
    ? `What this revision changes, from the version of ${longDate(other.artifact.policy.version ?? '')}`
    : `Compared with ${other.artifact.policy.title}`;
}

/**
 * Where the policy and the one it is compared with decide differently, in a board member's words: where the policy
 * releases more (legal exposure, first), each beside the interpretation that acknowledges it; where it releases
 * less (a lawful choice); then, in one table, where only the duties differ.
 */
function comparison(
  input: BoardInput,
  known: {
    engine: ReturnType<typeof createEngine>;
    vocabulary: ReturnType<typeof vocabularyOf>;
    attributes: ReturnType<typeof solverAttributes>;
    lowered: ReturnType<typeof lowerTogether>['value'][number] | undefined;
  },
  ruleLink: (id: string) => Markup,
): Markup {
  const { engine, vocabulary, attributes, lowered } = known;
  const other = input.compare as RenderedPolicy;
  const decisions = compare(input.checked, other.checked, attributes, { decisionsOnly: true });
  if (decisions.problems.length > 0)
    return html`<p>The two policies cannot be compared: ${decisions.problems.join('; ')}.</p>`;
  const duties = compare(input.checked, other.checked, attributes).classes.filter((c) => c.kind === 'duties');
  const readings = new Map(
    input.checked.interpretations.map((r) => [r.id.text, r.title?.value ?? r.id.text]),
  );
  /** The interpretations whose acknowledged departure of `kind` covers `query`. */
  const acknowledging = (query: Query, kind: 'looser' | 'stricter') => {
    const read = engine.read(query);
    if (!('values' in read)) return [];
    const value = (path: string) => read.values[path];
    const evaluate = (f: Formula): boolean =>
      f.kind === 'const'
        ? f.value
        : f.kind === 'atom'
          ? lowered?.atoms[f.atom] !== undefined && holds(lowered.atoms[f.atom] as Atom, value)
          : f.kind === 'not'
            ? !evaluate(f.operand)
            : f.kind === 'and'
              ? f.operands.every(evaluate)
              : f.operands.some(evaluate);
    const covering = (lowered?.departures ?? []).filter((d) => d.kind === kind && evaluate(d.when));
    return [...new Set(covering.map((d) => d.interpretation))];
  };
  const says = {
    ours: new Map(input.artifact.rules.map((r) => [r.id, r.says ?? r.id])),
    theirs: new Map(other.artifact.rules.map((r) => [r.id, r.says ?? r.id])),
  };
  const name = input.artifact.policy.title;
  const law = other.artifact.policy.title;
  const revision = isRevision(input);
  const byRules = (side: 'ours' | 'theirs', ids: readonly string[]) =>
    ids.length === 0
      ? 'as no rule applies'
      : html`${ids.map(
          (id, i) =>
            html`${i > 0 ? '; ' : ''}${side === 'ours' ? html`${ruleLink(id)}: ` : ''}“${says[side].get(id) ?? id}”`,
        )}`;
  const group = (kind: 'looser' | 'stricter', heading: string, intro: string) => {
    const chosen = decisions.classes.filter((c) => c.kind === kind);
    if (chosen.length === 0) return html`<h3>${heading}</h3><p>Nowhere: ${intro}</p>`;
    return html`<h3>${heading}</h3><p>${capitalised(intro)}</p>${chosen.map((c) => {
      const example = c.cases[0]?.example as Query | undefined;
      const ack = example ? acknowledging(example, kind) : [];
      return html`<div class="difference ${kind}">
        <p><strong>The policy ${c.left.decision === 'permit' ? 'releases' : 'refuses'}</strong>, ${byRules('ours', c.left.rules)}; <strong>${
          revision
            ? `the earlier version ${c.right.decision === 'permit' ? 'released' : 'refused'}`
            : `the law ${c.right.decision === 'permit' ? 'allows release' : 'does not allow it'}`
        }</strong>, ${byRules('theirs', c.right.rules)}.</p>
        <p>${c.cases.length === 1 ? 'One kind of question' : `${c.cases.length} kinds of question`}, such as: ${example ? queryWords(example, vocabulary).join('; ') : ''}.</p>
        ${
          revision
            ? ''
            : ack.length > 0
              ? html`<p class="ack">Acknowledged in the interpretation ${ack.map((a, i) => html`${i > 0 ? ', ' : ''}<a href="#reading-${a}">${readings.get(a) ?? a}</a>`)}.</p>`
              : html`<p class="ack${kind === 'looser' ? ' warning' : ''}">No interpretation acknowledges this.</p>`
        }
      </div>`;
    })}`;
  };
  // Only the duties differ: counted by what the policy asks beyond the law (or the law beyond the policy).
  const dutyTitle = new Map(
    [...input.artifact.obligations, ...other.artifact.obligations].map((o) => [o.id, o.title ?? o.id]),
  );
  const dutyRows = new Map<string, number>();
  for (const c of duties) {
    const more = c.left.obligations.filter((o) => !c.right.obligations.includes(o));
    const fewer = c.right.obligations.filter((o) => !c.left.obligations.includes(o));
    const key = [
      more.length > 0 ? `the policy also asks: ${more.map((o) => dutyTitle.get(o)).join('; ')}` : '',
      fewer.length > 0
        ? `${revision ? 'the earlier version' : 'the law'} also asks: ${fewer.map((o) => dutyTitle.get(o)).join('; ')}`
        : '',
    ]
      .filter(Boolean)
      .join('. ');
    dutyRows.set(key, (dutyRows.get(key) ?? 0) + c.cases.length);
  }
  const dutyTable =
    dutyRows.size === 0
      ? html`<p>Nowhere: wherever they give the same answer, they ask the same of staff.</p>`
      : html`<table class="duty-differences"><caption>Where both give the same answer, but ask different things of staff</caption><thead><tr><th scope="col">What differs</th><th scope="col">Kinds of question</th></tr></thead><tbody>${[...dutyRows].map(([k, n]) => html`<tr><td>${capitalised(k)}.</td><td>${n}</td></tr>`)}</tbody></table>`;
  if (revision) {
    const before = `the version of ${longDate(other.artifact.policy.version ?? '')}`;
    return html`<p>Every possible question is decided by this version and by ${before}; here is every kind of question that now gets a different answer, then what changed in the text.</p>
      ${group('looser', 'Questions now answered yes, which the earlier version answered no', 'the revision releases more.')}
      ${group('stricter', 'Questions now answered no, which the earlier version answered yes', 'the revision releases less.')}
      <h3>Where only the duties differ</h3>${dutyTable}
      <h3>What changed in the text</h3>${textChanges(other.checked, input.checked, vocabulary)}`;
  }
  return html`<p>Every possible question is decided by both ${name} and ${law}; here is every kind of question on which they differ. Where the law "allows release", the Library <em>may</em> release: it need not, except where an order of a court compels it. A "kind of question" is one combination of circumstances that both decide the same way throughout; the count says how many such combinations there are, not how often they come up at the desk.</p>
    ${group('looser', `Where the policy releases more than the law allows`, 'this is legal exposure: the policy releases what the law says may not be released.')}
    ${group('stricter', `Where the policy releases less than the law allows`, 'this is a lawful choice: the policy protects more than the law requires.')}
    <h3>Where only the duties differ</h3>${dutyTable}`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2014-04-22` as `22 April 2014`; anything else as it is. */
function longDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : date;
}

/** A label broken into lines of about 22 characters, for a box of the graph. */
function wrap(text: string): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length > 22) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
