import { describe, expect, it } from 'vitest';
import { ARTIFACT_FORMAT, type Artifact, ArtifactError, createEngine, readArtifact } from '../src/index.js';
import { wethersfield } from './wethersfield.js';

const good = wethersfield().artifact;
/** The Wethersfield artifact with one part replaced. */
const changed = (change: (a: Artifact) => void): unknown => {
  const copy = structuredClone(good) as Artifact;
  change(copy);
  return copy;
};

describe('createEngine', () => {
  it('loads a compiled artifact, and keeps its own frozen copy', () => {
    const input = structuredClone(good);
    const engine = createEngine(input);
    expect(engine.artifact).not.toBe(input);
    expect(Object.isFrozen(engine.artifact.graph.nodes)).toBe(true);
    expect(Object.isFrozen(input.graph.nodes)).toBe(false);
  });

  it.each([
    ['not an object', 'artifact', /an artifact is a JSON object/],
    [
      'a cycle in the graph',
      changed((a) => a.graph.nodes.push([0, a.graph.nodes.length, -1])),
      /`graph.nodes\[\d+\]` tests no atom, or leads to a node that does not come before it/,
    ],
    ['a child out of range', changed((a) => a.graph.nodes.push([0, 99_999, -1])), /`graph.nodes\[\d+\]`/],
    [
      'an atom that does not fit its attribute',
      changed((a) => a.atoms.push({ kind: 'within', set: 'requester.id', values: [] })),
      /`atoms\[\d+\]` does not fit the vocabulary/,
    ],
    [
      'an unknown atom kind',
      changed((a) => a.atoms.push({ kind: 'regex' } as never)),
      /`atoms\[\d+\].kind` is no kind of atom/,
    ],
    [
      'a found step naming a rule it does not have',
      changed((a) => a.graph.found[0]?.rules.push(99)),
      /`graph.found\[0\]` names no rules/,
    ],
    [
      'a found step going on to another found step',
      changed((a) => a.graph.found.push({ rules: [], obligations: [], next: -1 })),
      /`graph.found\[\d+\]` names .* goes on to no node/,
    ],
    [
      'a cycle through a found step',
      changed((a) => {
        a.graph.found.push({ rules: [0], obligations: [], next: a.graph.nodes.length });
        a.graph.nodes.push([0, -a.graph.found.length, -a.graph.found.length]);
      }),
      /`graph.nodes\[\d+\]` tests no atom, or leads to a node that does not come before it/,
    ],
  ])('refuses %s, saying what is wrong', (_, input, message) => {
    expect(() => createEngine(input)).toThrow(ArtifactError);
    expect(() => createEngine(input)).toThrow(message);
  });
});

describe('an artifact of a format this runtime does not read', () => {
  const ofFormat = (format: unknown) => changed((a) => Object.assign(a, { format }));
  /** The message `createEngine` throws for `input`. */
  const thrown = (input: unknown) => {
    try {
      createEngine(input);
    } catch (error) {
      if (error instanceof ArtifactError) return error.message;
      throw error;
    }
    throw new Error('the artifact was loaded');
  };

  it('is read as this runtime reads the format the compiler writes', () => {
    expect(ARTIFACT_FORMAT).toBe('tenet-artifact/5');
    expect(good.format).toBe(ARTIFACT_FORMAT);
  });

  it('says to upgrade the runtime when the format is newer', () => {
    expect(readArtifact(ofFormat('tenet-artifact/6'))).toEqual({
      problems: [
        'its format, `tenet-artifact/6`, is newer than this runtime reads (`tenet-artifact/5`): upgrade the runtime (the package @tenet/runtime) to a version that reads `tenet-artifact/6`',
      ],
    });
    expect(thrown(ofFormat('tenet-artifact/12'))).toBe(
      'not an artifact this runtime can load: its format, `tenet-artifact/12`, is newer than this runtime reads (`tenet-artifact/5`): upgrade the runtime (the package @tenet/runtime) to a version that reads `tenet-artifact/12`',
    );
  });

  it("says to recompile the policy with this version's compiler when the format is older", () => {
    expect(readArtifact(ofFormat('tenet-artifact/4'))).toEqual({
      problems: [
        "its format, `tenet-artifact/4`, is older than this runtime reads (`tenet-artifact/5`): recompile the policy with this version's compiler (`tenet compile` of the same release as this runtime)",
      ],
    });
    expect(thrown(ofFormat('tenet-artifact/0'))).toBe(
      "not an artifact this runtime can load: its format, `tenet-artifact/0`, is older than this runtime reads (`tenet-artifact/5`): recompile the policy with this version's compiler (`tenet compile` of the same release as this runtime)",
    );
  });

  it.each([['tenet-artifact'], ['tenet-artifact/4.1'], ['other/4'], [4], [undefined]])(
    'says a format of %j is no Tenet artifact',
    (format) => {
      expect(readArtifact(ofFormat(format))).toEqual({
        problems: ['it is not a Tenet artifact (it has no `format` of `tenet-artifact/N`)'],
      });
    },
  );
});

describe('an artifact crafted against the jump tables', () => {
  it('decides a chain of tests entered at every node as the tests one by one do', () => {
    // Node i tests `u.id = v{i}` and goes on to node i - 1 when it does not hold; a found step going on to each
    // node makes every node a place walks enter: one table per node would hold n²/2 entries.
    const n = 3000;
    const artifact = {
      format: good.format,
      hash: '0'.repeat(64),
      policy: { id: 'p', title: 'P', history: [], defaultEffect: 'deny', defaultCitations: [] },
      vocabulary: [{ name: 'u', attributes: [{ name: 'id', type: { kind: 'identifier' } }] }],
      atoms: Array.from({ length: n }, (_, i) => ({ kind: 'equals', attribute: 'u.id', value: `v${i}` })),
      graph: {
        root: n - 1,
        nodes: Array.from({ length: n }, (_, i) => [i, i === 0 ? -2 : i - 1, i % 2 === 0 ? -1 : -2]),
        found: [
          { rules: [0], obligations: [] },
          { rules: [], obligations: [] },
          ...Array.from({ length: n }, (_, i) => ({ rules: [], obligations: [], next: i })),
        ],
      },
      rules: [{ id: 'even', effect: 'permit', citations: [] }],
      obligations: [],
      citations: [],
    };
    const engine = createEngine(artifact);
    for (const id of ['v0', 'v1', 'v2', 'v1500', 'v2998', 'v2999', 'other']) {
      const trace = engine.trace({ u: { id } });
      if (!('outcome' in trace)) throw new Error('invalid query');
      expect(engine.decide({ u: { id } }).decision, id).toBe(trace.outcome.decision);
      expect(trace.outcome.decision, id).toBe(/^v\d*[02468]$/.test(id) ? 'permit' : 'deny');
    }
  });
});
