import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/src/index.js';
import { checkPolicy } from '../../language/src/index.js';
import { createEngine, type QueryError, suggest } from '../src/index.js';

const roles = ['patron', 'staff', 'reporter'];

/** A policy over a small vocabulary, with `rule` after it (a rule with a typo in it, for the checker). */
const policy = (rule = '') => `policy p "P"

entity requester
  id: identifier
  role: one of ${roles.join(', ')}

entity record
  subjectId: identifier

authority law "Law"
  quote "The law."

permit own
  when requester.id is record.subjectId
  because law
  says "Own."
${rule}`;

/** The diagnostics of `text` checked as one file: each as its code and its help. */
function diagnose(text: string): { code: string; help: string | undefined }[] {
  const checked = checkPolicy('p.policy', {
    read: (f) => (f === 'p.policy' ? text : undefined),
    resolve: (_, p) => p,
  });
  return checked.diagnostics.map((d) => ({ code: d.code, help: d.help }));
}

const engine = (() => {
  const checked = checkPolicy('p.policy', { read: () => policy(), resolve: (_, p) => p });
  const artifact = compile(checked.value).value;
  if (!artifact) throw new Error('the policy does not compile');
  return createEngine(artifact);
})();

describe('suggest', () => {
  it('suggests the candidate one letter added, dropped or changed away', () => {
    expect(suggest('rol', ['id', 'role'])).toBe('role');
    expect(suggest('stafff', ['patron', 'staff', 'other'])).toBe('staff');
    expect(suggest('notfy', ['notify', 'notice'])).toBe('notify');
    expect(suggest('rale', ['id', 'role'])).toBe('role');
  });

  it('counts a swap of neighbouring letters as one edit', () => {
    expect(suggest('rloe', ['id', 'role'])).toBe('role');
    expect(suggest('satff', roles)).toBe('staff');
    expect(suggest('recieve', ['receive'])).toBe('receive');
    expect(suggest('mnior', ['minor', 'role'])).toBe('minor');
  });

  it('suggests a candidate that differs only in case, whatever its distance from the others', () => {
    expect(suggest('goodcauseshown', ['goodCauseShow', 'goodCauseShown'])).toBe('goodCauseShown');
    expect(suggest('ROLE', ['rol', 'role'])).toBe('role');
  });

  it('allows one edit in a short word, and a third of the letters in a longer one, and no more', () => {
    expect(suggest('x', ['y'])).toBe('y');
    expect(suggest('ab', ['cd'])).toBeUndefined();
    expect(suggest('abcdef', ['abcdxy'])).toBe('abcdxy');
    expect(suggest('abcdef', ['abcxyz'])).toBeUndefined();
    expect(suggest('colour', ['id', 'role'])).toBeUndefined();
  });

  it('skips candidates more than three letters longer or shorter, however long the word', () => {
    expect(suggest('guardianOfAll', ['guardianOf'])).toBe('guardianOf');
    expect(suggest('guardianOfAllX', ['guardianOf'])).toBeUndefined();
  });

  it('keeps the first of equally close candidates, and suggests nothing from none', () => {
    expect(suggest('cat', ['bat', 'cap'])).toBe('bat');
    expect(suggest('staff', [])).toBeUndefined();
  });

  it('suggests nothing for a word longer than 64 characters', () => {
    expect(suggest('a'.repeat(64), ['a'.repeat(64)])).toBe('a'.repeat(64));
    expect(suggest('a'.repeat(65), ['a'.repeat(65)])).toBeUndefined();
  });

  it('takes any iterable of candidates', () => {
    expect(suggest('stafff', new Set(['patron', 'staff']).values())).toBe('staff');
  });
});

/** The error for a required attribute the query leaves out. */
const missing = (path: string): QueryError => ({
  code: 'missing-field',
  path,
  message: `\`${path}\` is required`,
});

describe('a typo in a query', () => {
  const query = (requester: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    requester,
    record: { subjectId: 'p-1' },
    ...extra,
  });
  const cases: {
    typo: string;
    rule: string;
    checker: { code: string; help: string };
    query: unknown;
    errors: QueryError[];
  }[] = [
    {
      typo: 'an attribute with a letter dropped',
      rule: 'requester.rol is staff',
      checker: { code: 'unknown-attribute', help: 'did you mean `role`?' },
      query: query({ id: 'p-1', rol: 'staff' }),
      errors: [
        missing('requester.role'),
        {
          code: 'unknown-field',
          path: 'requester.rol',
          message: 'unknown field `requester.rol`: did you mean `requester.role`?',
          suggestion: 'requester.role',
        },
      ],
    },
    {
      typo: 'an attribute with two letters swapped',
      rule: 'requester.rloe is staff',
      checker: { code: 'unknown-attribute', help: 'did you mean `role`?' },
      query: query({ id: 'p-1', rloe: 'staff' }),
      errors: [
        missing('requester.role'),
        {
          code: 'unknown-field',
          path: 'requester.rloe',
          message: 'unknown field `requester.rloe`: did you mean `requester.role`?',
          suggestion: 'requester.role',
        },
      ],
    },
    {
      typo: 'an entity with two letters swapped',
      rule: 'reqeuster.role is staff',
      checker: { code: 'unknown-entity', help: 'did you mean `requester`?' },
      query: { reqeuster: { id: 'p-1', role: 'staff' }, record: { subjectId: 'p-1' } },
      errors: [
        {
          code: 'unknown-field',
          path: 'reqeuster',
          message: 'unknown field `reqeuster`: did you mean `requester`?',
          suggestion: 'requester',
        },
        missing('requester.id'),
        missing('requester.role'),
      ],
    },
    {
      typo: 'a value of an enumeration with two letters swapped',
      rule: 'requester.role is satff',
      checker: { code: 'unknown-value', help: 'did you mean `staff`?' },
      query: query({ id: 'p-1', role: 'satff' }),
      errors: [
        {
          code: 'unknown-value',
          path: 'requester.role',
          message:
            '`requester.role` is one of patron, staff, reporter, not a string of 5 characters; did you mean `staff`?',
          allowed: roles,
          suggestion: 'staff',
        },
      ],
    },
    {
      typo: 'an attribute given outside its entity',
      rule: 'role',
      checker: { code: 'unknown-condition', help: 'did you mean the attribute `requester.role`?' },
      query: query({ id: 'p-1' }, { role: 'staff' }),
      errors: [
        {
          code: 'unknown-field',
          path: 'role',
          message: 'unknown field `role`: did you mean the attribute `requester.role`?',
          suggestion: 'requester.role',
        },
        missing('requester.role'),
      ],
    },
  ];

  it.each(cases.map((c) => [c.typo, c] as const))(
    'gets the suggestion the checker gives in a policy: %s',
    (_, c) => {
      expect(diagnose(policy(`\npermit typo\n  when ${c.rule}\n  because law\n  says "Typo."\n`))).toEqual([
        c.checker,
      ]);
      expect(engine.validate(c.query)).toStrictEqual(c.errors);
    },
  );
});
