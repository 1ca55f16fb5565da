import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkPolicy,
  type Diagnostic,
  type DiagnosticCode,
  type Fix,
  type SourceHost,
  type SourceSpan,
  sortDiagnostics,
} from '../src/index.js';

function where(span: SourceSpan | undefined): string {
  return span ? `${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column}` : '-';
}

function show(d: Diagnostic): string {
  return `${d.code} ${d.severity} ${where(d.span)}`;
}

/** Like {@link show}, with the file: for policies of several files. */
function showIn(d: Diagnostic): string {
  return `${d.code} ${d.severity} ${d.span ? `${d.span.file}:` : ''}${where(d.span)}`;
}

/** A fix with its edits as `line:column-line:column "new text"`. */
function showFix(fix: Fix | undefined): { title: string; edits: string[] } | undefined {
  return (
    fix && { title: fix.title, edits: fix.edits.map((e) => `${where(e.span)} ${JSON.stringify(e.newText)}`) }
  );
}

/** A policy held in memory: a map of file to text; imports resolve like paths on disk. */
function memoryHost(files: Record<string, string>): SourceHost {
  const texts = new Map(Object.entries(files));
  return {
    read: (file) => texts.get(file),
    resolve: (from, path) => posix.normalize(posix.join(posix.dirname(from), path)),
  };
}

/** Every diagnostic of loading and checking `entry`, in file and source order. */
function checkFiles(files: Record<string, string>, entry = 'main.policy'): Diagnostic[] {
  return sortDiagnostics(checkPolicy(entry, memoryHost(files)).diagnostics);
}

function diagnostics(text: string): Diagnostic[] {
  return checkFiles({ 'main.policy': text });
}

function diagnose(text: string): string[] {
  return diagnostics(text).map(show);
}

/** The one diagnostic with `code`; fails when there is not exactly one. */
function only(text: string, code: DiagnosticCode): Diagnostic {
  const found = diagnostics(text).filter((d) => d.code === code);
  expect(found).toHaveLength(1);
  return found[0] as Diagnostic;
}

function lines(...text: string[]): string {
  return text.join('\n');
}

/** A small policy with no problems: 32 lines, so the lines {@link withBase} adds start on line 33. */
const BASE = [
  'policy library "Library Records Policy"',
  '  owner "The Library"',
  '  version 2024-01-01',
  '  adopted 2020-01-01',
  '',
  'entity requester "Who asks."',
  '  id: identifier "Who is asking."',
  '  role: one of patron, staff, other',
  '  age: integer = 0',
  '  minor: boolean = false',
  '  guardianOf: set of identifier = []',
  '',
  'entity record "The record asked about."',
  '  subjectId: identifier',
  '',
  'authority statute "Stat. § 1"',
  '',
  'section access "Access to Records"',
  '  quote "A borrower may see their own record."',
  '',
  '  permit own-record',
  '    when requester.id is record.subjectId',
  '    because statute, access',
  '    says "A borrower may see their own record."',
  '',
  '  require notify',
  '    when requester.role is staff',
  '    because access',
  '',
  '  obligation notify "Notify the director"',
  '    says "Tell the director."',
  '    because statute',
];

/** The base policy, then `extra` from line 33 on (in the base's section `access`). */
function withBase(...extra: string[]): string {
  return [...BASE, ...extra].join('\n');
}

describe('the base policy', () => {
  it('checks with no diagnostics', () => {
    expect(BASE).toHaveLength(32);
    expect(diagnose(withBase())).toEqual([]);
  });
});

describe('files', () => {
  it('reports an import of a file that does not exist at its path', () => {
    expect(diagnose(withBase('import "lib/missing.policy"'))).toEqual(['import-not-found error 33:8-33:28']);
  });

  it('resolves an import relative to the file that imports it', () => {
    const list = checkFiles({
      'main.policy': withBase('import "lib/a.policy"'),
      'lib/a.policy': 'import "../shared/gone.policy"',
    });
    expect(list.map(showIn)).toEqual(['import-not-found error lib/a.policy:1:8-1:31']);
    expect(list[0]?.message).toBe(
      'cannot read `../shared/gone.policy`: no such file (looked for `shared/gone.policy`)',
    );
  });

  it('reports an entry file that cannot be read, without a span', () => {
    expect(checkFiles({}, 'main.policy').map(showIn)).toEqual(['import-not-found error -']);
  });

  it('reports an import cycle at the import that closes it', () => {
    const list = checkFiles({
      'main.policy': withBase('import "lib/a.policy"'),
      'lib/a.policy': 'import "b.policy"',
      'lib/b.policy': 'import "./a.policy"',
    });
    expect(list.map(showIn)).toEqual(['import-cycle error lib/b.policy:1:1-1:20']);
  });

  it('reports a file that imports itself', () => {
    expect(diagnose(withBase('import "main.policy"'))).toEqual(['import-cycle error 33:1-33:21']);
  });

  it('reads a file imported twice once, without reporting a cycle', () => {
    const list = checkFiles({
      'main.policy': withBase('import "a.policy"', 'import "b.policy"'),
      'a.policy': 'import "shared.policy"',
      'b.policy': 'import "shared.policy"',
      'shared.policy': 'authority shared "Shared Stat."',
    });
    expect(list).toEqual([]);
  });

  it('reports rules without a policy header at the first declaration', () => {
    const text = lines(
      'entity requester',
      '  minor: boolean',
      '',
      'authority statute "Stat. § 1"',
      '',
      'permit minors',
      '  when requester.minor',
      '  because statute',
      '  says "Minors may."',
    );
    expect(diagnose(text)).toEqual(['missing-policy error 1:1-2:17']);
  });

  it('does not ask a file without rules for a policy header', () => {
    const text = lines('entity requester', '  minor: boolean', '', 'authority statute "Stat. § 1"');
    expect(diagnose(text)).toEqual([]);
  });

  it('reports a policy header in an imported file at its name', () => {
    const list = checkFiles({
      'main.policy': withBase('import "lib.policy"'),
      'lib.policy': lines('policy other "Other Policy"', 'authority extra "Extra Stat."'),
    });
    expect(list.map(showIn)).toEqual(['misplaced-declaration error lib.policy:1:8-1:13']);
  });

  it('warns of a policy header after other declarations', () => {
    const text = lines(
      'import "lib.policy"',
      'authority statute "Stat. § 1"',
      'policy library "Library Records Policy"',
      'permit all',
      '  because statute',
      '  says "Everyone may."',
    );
    const list = checkFiles({ 'main.policy': text, 'lib.policy': 'authority extra "Extra Stat."' });
    expect(list.map(showIn)).toEqual(['misplaced-declaration warning main.policy:3:8-3:15']);
  });
});

describe('duplicate declarations', () => {
  it('reports a second policy header at its name, related to the first', () => {
    const list = diagnostics(withBase('policy other "Other Policy"'));
    expect(list.map(show)).toEqual(['duplicate-declaration error 33:8-33:13']);
    expect(list[0]?.related?.map((r) => where(r.span))).toEqual(['1:1-4:21']);
  });

  it('reports a second entity of the same name at its name, related to the first', () => {
    const list = diagnostics(withBase('entity record', '  kind: boolean = false'));
    expect(list.map(show)).toEqual(['duplicate-declaration error 33:8-33:14']);
    expect(list[0]?.related?.map((r) => where(r.span))).toEqual(['13:1-14:24']);
  });

  it('reports an attribute declared twice in one entity', () => {
    const text = withBase('entity request', '  purpose: boolean = false', '  purpose: integer = 0');
    expect(diagnose(text)).toEqual(['duplicate-declaration error 35:3-35:10']);
  });

  it('reports a section named like an authority: both are citations', () => {
    expect(diagnose(withBase('section statute "Statutes"'))).toEqual([
      'duplicate-declaration error 33:9-33:16',
    ]);
  });

  it('reports a second rule of the same name', () => {
    const text = withBase('permit own-record', '  because access', '  says "Again."');
    expect(diagnose(text)).toEqual(['duplicate-declaration error 33:8-33:18']);
  });

  it('reports a second condition of the same name', () => {
    const text = withBase(
      'condition staff-request when requester.role is staff',
      'condition staff-request when requester.role is other',
      'permit staff',
      '  when staff-request',
      '  because access',
      '  says "Staff may."',
    );
    expect(diagnose(text)).toEqual(['duplicate-declaration error 34:11-34:24']);
  });
});

describe('unknown names', () => {
  it('reports an unknown entity in a condition, with the closest entity as a fix', () => {
    const text = withBase(
      'permit minors',
      '  when reqester.minor',
      '  because access',
      '  says "Minors may."',
    );
    const d = only(text, 'unknown-entity');
    expect(diagnose(text)).toEqual(['unknown-entity error 34:8-34:16']);
    expect(d.help).toBe('did you mean `requester`?');
    expect(showFix(d.fix)).toEqual({ title: 'replace with `requester`', edits: ['34:8-34:16 "requester"'] });
  });

  it('reports an unknown entity in an example', () => {
    const text = withBase(
      'example "A patron asks for her own record"',
      '  given requester { id: "p-1", role: patron }',
      '        record { subjectId: "p-1" }',
      '        borrower { id: "p-1" }',
      '  expect permit by own-record',
    );
    expect(diagnose(text)).toEqual(['unknown-entity error 36:9-36:17']);
  });

  it('reports an unknown attribute in a condition, with the closest attribute as a fix', () => {
    const text = withBase(
      'permit minors',
      '  when requester.mnior',
      '  because access',
      '  says "Minors may."',
    );
    const d = only(text, 'unknown-attribute');
    expect(diagnose(text)).toEqual(['unknown-attribute error 34:18-34:23']);
    expect(d.help).toBe('did you mean `minor`?');
    expect(showFix(d.fix)).toEqual({ title: 'replace with `minor`', edits: ['34:18-34:23 "minor"'] });
  });

  it('reports an unknown attribute in an example, with the closest attribute as a fix', () => {
    const text = withBase(
      'example "A patron asks for her own record"',
      '  given requester { id: "p-1", role: patron, mnior: true }',
      '        record { subjectId: "p-1" }',
      '  expect permit by own-record',
    );
    const d = only(text, 'unknown-attribute');
    expect(diagnose(text)).toEqual(['unknown-attribute error 34:46-34:51']);
    expect(showFix(d.fix)).toEqual({ title: 'replace with `minor`', edits: ['34:46-34:51 "minor"'] });
  });

  it('reports an attribute of an attribute at the name too many', () => {
    const text = withBase(
      'permit named',
      '  when requester.id.name is "p-1"',
      '  because access',
      '  says "P-1 may."',
    );
    expect(diagnose(text)).toEqual(['unknown-attribute error 34:21-34:25']);
  });

  it('reports an unknown condition, with the closest condition as a fix', () => {
    const text = withBase(
      'condition staff-request when requester.role is staff',
      'permit staff',
      '  when staff-request',
      '  because access',
      '  says "Staff may."',
      'forbid non-staff',
      '  when not staff-requst',
      '  because access',
      '  says "No one else may."',
    );
    const d = only(text, 'unknown-condition');
    expect(diagnose(text)).toEqual(['unknown-condition error 39:12-39:24']);
    expect(d.help).toBe('did you mean `staff-request`?');
    expect(showFix(d.fix)).toEqual({
      title: 'replace with `staff-request`',
      edits: ['39:12-39:24 "staff-request"'],
    });
  });

  it('reports a condition named like an attribute, with the attribute as a fix', () => {
    const text = withBase('permit minors', '  when minor', '  because access', '  says "Minors may."');
    const d = only(text, 'unknown-condition');
    expect(diagnose(text)).toEqual(['unknown-condition error 34:8-34:13']);
    expect(d.help).toBe('did you mean the attribute `requester.minor`?');
    expect(showFix(d.fix)).toEqual({
      title: 'replace with `requester.minor`',
      edits: ['34:8-34:13 "requester.minor"'],
    });
  });

  it('reports an unknown condition with no close name, with no fix', () => {
    const text = withBase('permit anyone', '  when emergency', '  because access', '  says "Anyone may."');
    const d = only(text, 'unknown-condition');
    expect(diagnose(text)).toEqual(['unknown-condition error 34:8-34:17']);
    expect(d.fix).toBeUndefined();
  });

  it('reports a value an enumeration does not have, with the closest value as a fix', () => {
    const text = withBase(
      'permit staff',
      '  when requester.role is stafff',
      '  because access',
      '  says "Staff may."',
    );
    const d = only(text, 'unknown-value');
    expect(diagnose(text)).toEqual(['unknown-value error 34:26-34:32']);
    expect(d.help).toBe('did you mean `staff`?');
    expect(showFix(d.fix)).toEqual({ title: 'replace with `staff`', edits: ['34:26-34:32 "staff"'] });
  });

  it('reports an unknown value written before the attribute it is compared with', () => {
    const text = withBase(
      'permit staff',
      '  when stafff is requester.role',
      '  because access',
      '  says "Staff may."',
    );
    const d = only(text, 'unknown-value');
    expect(diagnose(text)).toEqual(['unknown-value error 34:8-34:14']);
    expect(showFix(d.fix)).toEqual({ title: 'replace with `staff`', edits: ['34:8-34:14 "staff"'] });
  });

  it('reports an unknown value in a set, and one in a default', () => {
    const text = withBase(
      'entity request',
      '  purpose: one of disclosure, circulation = circulatoin advice never',
      'permit some',
      '  when requester.role in [patron, stafff]',
      '  because access',
      '  says "Some may."',
    );
    expect(diagnose(text)).toEqual(['unknown-value error 34:45-34:56', 'unknown-value error 36:35-36:41']);
  });

  it('lists the values of the enumeration when no value is close', () => {
    const text = withBase(
      'permit director',
      '  when requester.role is director',
      '  because access',
      '  says "Directors may."',
    );
    const d = only(text, 'unknown-value');
    expect(diagnose(text)).toEqual(['unknown-value error 34:26-34:34']);
    expect(d.help).toBe('the values are `patron`, `staff` or `other`');
    expect(d.fix).toBeUndefined();
  });

  it('reports unknown citations, with the closest authority as a fix', () => {
    const text = withBase(
      'permit staff',
      '  when requester.role is staff',
      '  because statut, nowhere',
      '  says "Staff may."',
    );
    const list = diagnostics(text);
    expect(list.map(show)).toEqual([
      'unknown-citation error 35:11-35:17',
      'unknown-citation error 35:19-35:26',
    ]);
    expect(list[0]?.help).toBe('did you mean `statute`?');
    expect(showFix(list[0]?.fix)).toEqual({
      title: 'replace with `statute`',
      edits: ['35:11-35:17 "statute"'],
    });
    expect(list[1]?.fix).toBeUndefined();
    expect(list[1]?.help).toBe(
      'a citation names an `authority`, a `section` or an `interpretation` declared in this policy or a file it imports',
    );
  });

  it('reports a section named as the authority that supersedes another', () => {
    const text = withBase(
      'authority old-statute "Stat. § 1 (1981)"',
      '  superseded 2020-01-01 by access',
      'permit old',
      '  because old-statute',
      '  says "Before 2020, anyone could."',
    );
    const d = only(text, 'unknown-citation');
    expect(diagnose(text)).toEqual(['unknown-citation error 34:28-34:34']);
    expect(d.message).toBe('unknown authority `access`');
  });

  it('reports unknown citations in obligations, requirements, assertions and interpretations', () => {
    const text = withBase(
      'obligation log "Log the request"',
      '  says "Write it down."',
      '  because statue',
      'require log',
      '  because acess',
      'assert cited "Every decision cites the statute."',
      '  always cite statutes',
      '  because nowhere',
      'interpretation minor "Who is a minor"',
      '  says "Under 18."',
      '  because nowhere',
    );
    const list = diagnostics(text);
    expect(list.map(show)).toEqual([
      'unknown-citation error 35:11-35:17',
      'unknown-citation error 37:11-37:16',
      'unknown-citation error 39:15-39:23',
      'unknown-citation error 40:11-40:18',
      'unknown-citation error 43:11-43:18',
    ]);
    // An interpretation may cite what it reads, not another reading; everything else may cite a reading.
    expect(list.map((d) => d.message)).toEqual([
      'unknown authority, section or interpretation `statue`',
      'unknown authority, section or interpretation `acess`',
      'unknown authority, section or interpretation `statutes`',
      'unknown authority, section or interpretation `nowhere`',
      'unknown authority or section `nowhere`',
    ]);
  });

  it('reports an unknown obligation, with the closest obligation as a fix', () => {
    const text = withBase('require notfy', '  when requester.minor', '  because access');
    const d = only(text, 'unknown-obligation');
    expect(diagnose(text)).toEqual(['unknown-obligation error 33:9-33:14']);
    expect(d.help).toBe('did you mean `notify`?');
    expect(showFix(d.fix)).toEqual({ title: 'replace with `notify`', edits: ['33:9-33:14 "notify"'] });
  });

  it('reports unknown obligations in assertions and examples', () => {
    const text = withBase(
      'assert staff-notify "Staff requests notify the director."',
      '  always require notice when requester.role is staff',
      '  because access',
      'example "Staff ask"',
      '  given requester { id: "s-1", role: staff }',
      '        record { subjectId: "p-1" }',
      '  expect deny with notice',
    );
    expect(diagnose(text)).toEqual([
      'unknown-obligation error 34:18-34:24',
      'unknown-obligation error 39:20-39:26',
    ]);
  });

  it('reports unknown rules in assertions and examples, with the closest rule as a fix', () => {
    const text = withBase(
      'assert own "The borrower sees their own record."',
      '  always apply own-recrd when requester.id is record.subjectId',
      '  because access',
      'example "A patron asks for her own record"',
      '  given requester { id: "p-1", role: patron }',
      '        record { subjectId: "p-1" }',
      '  expect permit by own-recrd',
    );
    const list = diagnostics(text);
    expect(list.map(show)).toEqual(['unknown-rule error 34:16-34:25', 'unknown-rule error 39:20-39:29']);
    expect(showFix(list[0]?.fix)).toEqual({
      title: 'replace with `own-record`',
      edits: ['34:16-34:25 "own-record"'],
    });
  });

  it('reports a condition defined in terms of itself', () => {
    const text = withBase(
      'condition looping when requester.minor and not looping',
      'permit loop',
      '  when looping',
      '  because access',
      '  says "Never decided."',
    );
    expect(diagnose(text)).toEqual(['cyclic-condition error 33:11-33:18']);
  });

  it('reports a cycle through several conditions once, where the search closes it', () => {
    const text = withBase(
      'condition first when requester.minor or second',
      'condition second when not first',
      'permit loop',
      '  when first',
      '  because access',
      '  says "Never decided."',
    );
    const list = diagnostics(text);
    expect(list.map(show)).toEqual(['cyclic-condition error 33:11-33:16']);
    expect(list.map((d) => d.message)).toEqual([
      '`first` is defined in terms of itself: first → second → first',
    ]);
  });
});

describe('types', () => {
  it('reports a boolean used as a set', () => {
    const text = withBase(
      'permit ward',
      '  when record.subjectId in requester.minor',
      '  because access',
      '  says "Wards."',
    );
    expect(diagnose(text)).toEqual(['type-mismatch error 34:28-34:43']);
  });

  it('reports an integer compared with a string, over the whole comparison', () => {
    const text = withBase('permit ten', '  when requester.age is "ten"', '  because access', '  says "Ten."');
    expect(diagnose(text)).toEqual(['type-mismatch error 34:8-34:30']);
  });

  it('reports an enumeration used alone as a condition, suggesting a comparison', () => {
    const text = withBase('permit any', '  when requester.role', '  because access', '  says "Any."');
    const d = only(text, 'type-mismatch');
    expect(diagnose(text)).toEqual(['type-mismatch error 34:8-34:22']);
    expect(d.help).toBe('compare it with a value, such as `requester.role is patron`');
  });

  it('reports each side of `<` that is not an integer', () => {
    const text = withBase(
      'permit odd',
      '  when requester.id < requester.role',
      '  because access',
      '  says "Odd."',
    );
    expect(diagnose(text)).toEqual(['type-mismatch error 34:8-34:20', 'type-mismatch error 34:23-34:37']);
  });

  it('reports a value of an identifier written without quotes', () => {
    const text = withBase(
      'permit patron-one',
      '  when requester.id is patron',
      '  because access',
      '  says "One."',
    );
    const d = only(text, 'type-mismatch');
    expect(diagnose(text)).toEqual(['type-mismatch error 34:24-34:30']);
    expect(d.help).toBe('identifiers are written as strings: `"patron"`');
  });

  it('reports `within` on a value that is not a set', () => {
    const text = withBase(
      'permit some',
      '  when requester.id within ["p-1"]',
      '  because access',
      '  says "Some."',
    );
    expect(diagnose(text)).toEqual(['type-mismatch error 34:8-34:20']);
  });

  it('reports a set element of the wrong type', () => {
    const text = withBase(
      'permit some',
      '  when requester.id in ["p-1", 2]',
      '  because access',
      '  says "Some."',
    );
    expect(diagnose(text)).toEqual(['type-mismatch error 34:32-34:33']);
  });

  it('reports example values of the wrong type at the value', () => {
    const text = withBase(
      'example "An older patron asks"',
      '  given requester { id: "p-1", role: patron, age: "old", guardianOf: "p-2" }',
      '        record { subjectId: 7 }',
      '  expect deny',
    );
    expect(diagnose(text)).toEqual([
      'type-mismatch error 34:51-34:56',
      'type-mismatch error 34:70-34:75',
      'type-mismatch error 35:29-35:30',
    ]);
  });

  it('reports defaults of the wrong type at the default', () => {
    const text = withBase(
      'entity request',
      '  copies: integer = "none"',
      '  urgent: boolean = 1',
      '  fields: set of identifier = true',
    );
    expect(diagnose(text)).toEqual([
      'invalid-default error 34:21-34:27',
      'invalid-default error 35:21-35:22',
      'invalid-default error 36:31-36:35',
    ]);
  });

  it('reports a value listed twice in an enumeration, with its removal as a fix', () => {
    const text = withBase('entity request', '  purpose: one of disclosure, circulation, disclosure');
    const d = only(text, 'duplicate-value');
    expect(diagnose(text)).toEqual(['duplicate-value error 34:44-34:54']);
    expect(showFix(d.fix)).toEqual({ title: 'remove the repeated `disclosure`', edits: ['34:44-34:54 ""'] });
  });

  it('reports a value listed twice in the enumeration of a set', () => {
    const text = withBase('entity request', '  fields: set of one of name, address, name = []');
    expect(diagnose(text)).toEqual(['duplicate-value error 34:40-34:44']);
  });
});

describe('completeness', () => {
  it('reports a rule that cites nothing, with a fix citing its section', () => {
    const text = withBase('permit minors', '  when requester.minor', '  says "Minors may."');
    const d = only(text, 'missing-citation');
    expect(diagnose(text)).toEqual(['missing-citation error 33:8-33:14']);
    expect(d.help).toBe(
      'add `because` with the authority or section the rule implements, such as `because access`',
    );
    expect(showFix(d.fix)).toEqual({
      title: 'cite `access`',
      edits: ['35:21-35:21 "\\n    because access"'],
    });
  });

  it('reports a rule outside any section that cites nothing, with no fix', () => {
    const text = lines(
      'policy library "Library Records Policy"',
      'entity requester',
      '  minor: boolean',
      'permit minors',
      '  when requester.minor',
      '  says "Minors may."',
    );
    const d = only(text, 'missing-citation');
    expect(diagnose(text)).toEqual(['missing-citation error 4:8-4:14']);
    expect(d.fix).toBeUndefined();
  });

  it('warns of a rule and an obligation that say nothing', () => {
    const text = withBase(
      'permit minors',
      '  when requester.minor',
      '  because access',
      'obligation log "Log the request"',
      '  because statute',
      'require log',
    );
    expect(diagnose(text)).toEqual([
      'missing-explanation warning 33:8-33:14',
      'missing-explanation warning 36:12-36:15',
    ]);
  });

  it('reports an assertion that claims nothing', () => {
    expect(diagnose(withBase('assert empty "Nothing."', '  because access'))).toEqual([
      'missing-claim error 33:8-33:13',
    ]);
  });

  it('reports an example that expects nothing at its description', () => {
    const text = withBase(
      'example "A patron asks for her own record"',
      '  given requester { id: "p-1", role: patron }',
      '        record { subjectId: "p-1" }',
    );
    expect(diagnose(text)).toEqual(['missing-expectation error 33:9-33:43']);
  });

  it('reports each required attribute an example does not give, at its description', () => {
    const text = withBase('example "Someone asks"', '  given requester { id: "p-1" }', '  expect deny');
    const list = diagnostics(text);
    expect(list.map(show)).toEqual([
      'missing-required-attribute error 33:9-33:23',
      'missing-required-attribute error 33:9-33:23',
    ]);
    expect(list.map((d) => d.help)).toEqual([
      'add `role: …` to `requester { … }`',
      'add `subjectId: …` to `record { … }`',
    ]);
  });

  it('warns of a condition, an obligation and an authority of the main file that are never used', () => {
    const text = withBase(
      'condition adult when requester.age >= 18',
      'obligation log "Log the request"',
      '  says "Write it down."',
      '  because access',
      'authority other "Other Stat."',
    );
    expect(diagnose(text)).toEqual([
      'unused-declaration warning 33:11-33:16',
      'unused-declaration warning 34:12-34:15',
      'unused-declaration warning 37:11-37:16',
    ]);
  });

  it('does not warn of what an imported file declares and does not use', () => {
    const list = checkFiles({
      'main.policy': withBase('import "lib.policy"'),
      'lib.policy': lines(
        'condition adult when requester.age >= 18',
        'obligation log "Log the request"',
        '  says "Write it down."',
        'authority other "Other Stat."',
      ),
    });
    expect(list).toEqual([]);
  });

  it('does not warn of unused declarations in a main file with no policy header', () => {
    const text = lines(
      'entity requester',
      '  age: integer',
      'condition adult when requester.age >= 18',
      'obligation log "Log the request"',
      '  says "Write it down."',
      'authority other "Other Stat."',
    );
    expect(diagnose(text)).toEqual([]);
  });

  it('warns of history events out of date order at the later event', () => {
    const text = lines(
      'policy library "Library Records Policy"',
      '  adopted 2020-01-01',
      '  revised 2019-06-01',
      '  revised 2021-06-01',
      '  affirmed 2021-06-01',
      '  affirmed 2021-01-01 by "the Board"',
    );
    expect(diagnose(text)).toEqual([
      'history-out-of-order warning 3:3-3:21',
      'history-out-of-order warning 6:3-6:37',
    ]);
  });
});

describe('labels and advice', () => {
  it('warns of an enumeration with some values labelled and some not, at the enumeration', () => {
    const text = withBase(
      'entity request',
      '  legalProcess: one of none "no legal process", subpoena, court_order "a court order", warrant = none',
    );
    const d = only(text, 'unlabelled-value');
    expect(diagnose(text)).toEqual(['unlabelled-value warning 34:17-34:95']);
    expect(d.message).toBe(
      '`subpoena`, `warrant` of `request.legalProcess` have no label, though other values do',
    );
    expect(d.help).toBe(
      'write a label after each value (`court_order "a court order"`); a string after the last value with nothing after it is the description',
    );
  });

  it('warns of a label after the last value that was read as the description', () => {
    const text = withBase(
      'entity request',
      '  legalProcess: one of none "no legal process", subpoena "a subpoena"',
      '  properForm: boolean = false advice counsel',
    );
    const d = only(text, 'unlabelled-value');
    expect(diagnose(text)).toEqual(['unlabelled-value warning 34:17-34:57']);
    expect(d.message).toBe('`subpoena` of `request.legalProcess` has no label, though other values do');
  });

  it('warns of an enumeration of a set labelled in part', () => {
    const text = withBase('entity request', '  fields: set of one of name "the name", due_date = []');
    expect(diagnose(text)).toEqual(['unlabelled-value warning 34:18-34:50']);
  });

  it('accepts an enumeration labelled throughout, or not at all', () => {
    const text = withBase(
      'entity request',
      '  legalProcess: one of none "no legal process", subpoena "a subpoena" = none "The process served."',
      '  fields: set of one of name, due_date = []',
    );
    expect(diagnose(text)).toEqual([]);
  });

  it('warns of advice free to suggest another declared purpose, with `advice never` as a fix', () => {
    const text = withBase(
      'entity request',
      '  purpose: one of disclosure, circulation = disclosure "What the record is wanted for."',
    );
    const d = only(text, 'advice-may-coach');
    expect(diagnose(text)).toEqual(['advice-may-coach warning 34:3-34:10']);
    expect(d.message).toBe(
      'advice may suggest another value of `request.purpose`, which looks like a purpose the requester declares: an answer could tell someone what to say to be permitted',
    );
    expect(d.help).toBe('add `advice never`, or `advice suggest` if suggesting it is real advice');
    expect(showFix(d.fix)).toEqual({ title: 'add `advice never`', edits: ['34:88-34:88 " advice never"'] });
  });

  it('warns of advice free to suggest a legal conclusion, with `advice counsel` as a fix', () => {
    const text = withBase(
      'entity request',
      '  properForm: boolean = false "The legal process is in proper form."',
      '  competentJurisdiction: boolean = false',
    );
    const list = diagnostics(text);
    expect(list.map(show)).toEqual([
      'advice-may-coach warning 34:3-34:13',
      'advice-may-coach warning 35:3-35:24',
    ]);
    expect(list[0]?.message).toBe(
      'advice may suggest changing `request.properForm`, which looks like a legal conclusion only counsel can establish',
    );
    expect(list[0]?.help).toBe(
      'add `advice counsel` so that advice refers the question instead, or `advice suggest` to keep it',
    );
    expect(list.map((d) => showFix(d.fix))).toEqual([
      { title: 'add `advice counsel`', edits: ['34:69-34:69 " advice counsel"'] },
      { title: 'add `advice counsel`', edits: ['35:41-35:41 " advice counsel"'] },
    ]);
  });

  it('checks clean once the fix is applied', () => {
    const text = withBase(
      'entity request',
      '  properForm: boolean = false "The legal process is in proper form."',
    );
    const edit = only(text, 'advice-may-coach').fix?.edits[0];
    const offset = edit?.span.start.offset ?? 0;
    expect(diagnose(text.slice(0, offset) + (edit?.newText ?? '') + text.slice(offset))).toEqual([]);
  });

  it('does not warn of an attribute with any advice, without a default, or of another kind', () => {
    const text = withBase(
      'entity request',
      '  purpose: one of disclosure, circulation = disclosure advice suggest',
      '  reason: one of disclosure, circulation',
      '  properForm: boolean = false label "the process is in proper form" advice never',
      '  writtenConsent: boolean = false "The borrower\'s written permission comes with the request."',
      '  copies: integer = 0 "How many copies are wanted, and for what purpose."',
    );
    expect(diagnose(text)).toEqual([]);
  });
});

describe('departures', () => {
  /** A policy compared with `law.policy`, whose interpretation acknowledges a departure, and the law itself. */
  const compared = (law: string | undefined) => ({
    'main.policy': lines(
      'policy library "Library Records Policy"',
      '  compared with "law.policy"',
      'entity requester',
      '  minor: boolean = false',
      'authority statute "Stat. § 1"',
      'permit minors',
      '  when requester.minor',
      '  because statute, parents',
      '  says "Minors may."',
      'interpretation parents "Parents of minors"',
      '  says "We keep the policy as written."',
      '  because statute',
      '  looser when requester.minor',
    ),
    ...(law === undefined ? {} : { 'law.policy': law }),
  });

  it('reports each departure of a policy that is compared with nothing, at the departure', () => {
    const text = withBase(
      'interpretation parents "Parents of minors"',
      '  says "We keep the policy as written."',
      '  because statute',
      '  looser when requester.minor',
      '  stricter when requester.role is staff',
    );
    const list = diagnostics(text);
    expect(list.map(show)).toEqual([
      'departure-without-reference error 36:3-36:30',
      'departure-without-reference error 37:3-37:40',
    ]);
    expect(list[0]?.message).toBe(
      '`parents` acknowledges a departure, but the policy names no law to depart from',
    );
    expect(list[0]?.help).toBe(
      'add `compared with "…policy"` to the `policy` header, naming the policy of the law in force',
    );
  });

  it('reports a departure whose condition is not a condition', () => {
    const text = withBase(
      'interpretation parents "Parents of minors"',
      '  because statute',
      '  looser when requester.role',
    );
    expect(diagnose(text)).toEqual([
      'departure-without-reference error 35:3-35:29',
      'type-mismatch error 35:15-35:29',
    ]);
  });

  it('accepts departures from the policy a policy is compared with, and loads that policy', () => {
    const files = compared(
      lines('policy statute "The statute"', 'entity requester', '  minor: boolean = false'),
    );
    const { value, diagnostics: list } = checkPolicy('main.policy', memoryHost(files));
    expect(list.map(showIn)).toEqual([]);
    expect(value.reference?.policy?.id.text).toBe('statute');
  });

  it('reports a policy compared with a file that cannot be read, at its path', () => {
    const list = checkFiles(compared(undefined));
    expect(list.map(showIn)).toEqual(['import-not-found error main.policy:2:17-2:29']);
  });

  it('reports a policy compared with a file that has no policy header, at its path', () => {
    const list = checkFiles(compared(lines('entity requester', '  minor: boolean = false')));
    expect(list.map(showIn)).toEqual(['missing-policy error main.policy:2:17-2:29']);
    expect(list[0]?.message).toBe(
      '`law.policy` has no `policy` header: a policy is compared with another policy',
    );
  });
});

describe('citations of interpretations', () => {
  it('accepts an interpretation cited by a rule, an obligation, a requirement, an assertion and the default', () => {
    const text = lines(
      'policy library "Library Records Policy"',
      '  default deny because minor',
      'entity requester',
      '  minor: boolean = false',
      'authority statute "Stat. § 1"',
      'permit minors',
      '  when requester.minor',
      '  because minor',
      '  says "Minors may."',
      'obligation log "Log the request"',
      '  says "Write it down."',
      '  because minor',
      'require log',
      '  when requester.minor',
      '  because minor',
      'assert cites-minor "Every decision cites the reading of a minor."',
      '  always cite minor',
      '  because minor',
      'interpretation minor "Who is a minor"',
      '  says "Under 18."',
      '  because statute',
    );
    expect(diagnose(text)).toEqual([]);
  });

  it('suggests an interpretation for a misspelt citation where one may be cited', () => {
    const text = withBase(
      'permit minors',
      '  when requester.minor',
      '  because minr',
      '  says "Minors may."',
      'interpretation minor "Who is a minor"',
      '  because statute',
    );
    const d = only(text, 'unknown-citation');
    expect(diagnose(text)).toEqual(['unknown-citation error 35:11-35:15']);
    expect(showFix(d.fix)).toEqual({ title: 'replace with `minor`', edits: ['35:11-35:15 "minor"'] });
  });

  it('reports an interpretation that cites an interpretation, and suggests none', () => {
    const text = withBase(
      'interpretation minor "Who is a minor"',
      '  because statute',
      'interpretation minors "Who is a minor, again"',
      '  because minor',
    );
    const d = only(text, 'unknown-citation');
    expect(diagnose(text)).toEqual(['unknown-citation error 36:11-36:16']);
    expect(d.message).toBe('unknown authority or section `minor`');
    expect(d.fix).toBeUndefined();
    expect(d.help).toBe(
      'a citation names an `authority` or a `section` declared in this policy or a file it imports',
    );
  });
});

describe('claims that a decision carries an obligation', () => {
  it('accepts `always permit with` and `never deny with` a declared obligation', () => {
    const text = withBase(
      'assert notified "Staff who see their own record notify the director."',
      '  always permit with notify when requester.role is staff and requester.id is record.subjectId',
      '  because access',
      'assert never-silent "No refusal notifies the director."',
      '  never deny with notify',
      '  because access',
    );
    expect(diagnose(text)).toEqual([]);
  });

  it('reports an unknown obligation after `with`, with the closest obligation as a fix', () => {
    const text = withBase(
      'assert notified "Staff requests notify the director."',
      '  always permit with notfy when requester.role is staff',
      '  because access',
    );
    const d = only(text, 'unknown-obligation');
    expect(diagnose(text)).toEqual(['unknown-obligation error 34:22-34:27']);
    expect(showFix(d.fix)).toEqual({ title: 'replace with `notify`', edits: ['34:22-34:27 "notify"'] });
  });
});

describe('the Wethersfield policy', () => {
  it('checks with no errors and no warnings', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const diskHost: SourceHost = {
      read: (file) => {
        try {
          return readFileSync(posix.join(root, file), 'utf8');
        } catch {
          return undefined;
        }
      },
      resolve: (from, path) => posix.normalize(posix.join(posix.dirname(from), path)),
    };
    const { value, diagnostics: list } = checkPolicy(
      'policies/wethersfield/confidentiality.policy',
      diskHost,
    );
    expect(list.map(showIn)).toEqual([]);
    expect(value.program.files.map((f) => f.file)).toEqual([
      'policies/wethersfield/confidentiality.policy',
      'policies/connecticut/authorities.policy',
      'policies/connecticut/library-records.policy',
    ]);
  });
});

describe('fixed: review findings', () => {
  it('finds a cycle that runs through a comparison', () => {
    expect(diagnose(withBase('  condition z', '    when requester.minor and z is true'))).toEqual([
      'cyclic-condition error 33:13-33:14',
    ]);
  });

  it('accepts a literal set of enumeration values within a set attribute', () => {
    const text = withBase(
      'entity request',
      '  fields: set of one of name, due_date = []',
      'permit only-due-dates',
      '  when [due_date] within request.fields',
      '  because access',
      '  says "x"',
    );
    expect(diagnose(text)).toEqual([]);
  });

  it('reports a condition without `when`', () => {
    expect(
      diagnose(withBase('condition c "no when"', 'permit p', '  when c', '  because access', '  says "x"')),
    ).toEqual(['missing-condition error 33:11-33:12']);
  });

  it('reports an entity or an attribute given twice in an example', () => {
    const text = withBase(
      'example "twice"',
      '  given requester { id: "a", id: "b", role: patron } record { subjectId: "a" } requester { role: staff }',
      '  expect permit',
    );
    expect(diagnose(text)).toEqual([
      'duplicate-declaration error 34:30-34:32',
      'duplicate-declaration error 34:80-34:89',
      'duplicate-declaration error 34:92-34:96',
    ]);
  });

  it('takes no condition name for a value, in a default or an example', () => {
    const text = withBase(
      'condition c when requester.minor',
      'entity request',
      '  urgent: boolean = c',
      'example "e"',
      '  given requester { id: "a", role: patron, minor: c } record { subjectId: "a" }',
      '  expect permit',
    );
    expect(diagnose(text)).toEqual([
      'unused-declaration warning 33:11-33:12',
      'invalid-default error 35:21-35:22',
      'type-mismatch error 37:51-37:52',
    ]);
  });

  it('reports every wrong default as `invalid-default`', () => {
    const text = withBase(
      'entity request',
      '  kind: identifier = [a]',
      '  ids: set of identifier = [1]',
      '  n: integer = zero',
      '  b: boolean = yes',
    );
    expect(diagnose(text)).toEqual([
      'invalid-default error 34:22-34:25',
      'invalid-default error 35:29-35:30',
      'invalid-default error 36:16-36:20',
      'invalid-default error 37:16-37:19',
    ]);
  });

  it('reports only the syntax error when a `says` lacks its quotes', () => {
    expect(diagnose(withBase('permit p', '  when requester.minor', '  says x', '  because access'))).toEqual([
      'syntax-error error 35:8-35:9',
    ]);
  });
});

describe('fixed: reserved names', () => {
  it('refuses `__proto__`, `constructor` and `prototype` as names of entities and attributes', () => {
    const text = withBase(
      'entity __proto__',
      '  polluted: boolean = false',
      'entity request',
      '  constructor: boolean = false',
    );
    expect(diagnose(text)).toEqual(['reserved-name error 33:8-33:17', 'reserved-name error 36:3-36:14']);
  });
});

describe('fixed: the findings of the differential tests', () => {
  it('types each side of `is` from the other when only one side can be typed alone', () => {
    expect(
      diagnose(
        withBase(
          'entity request',
          '  kinds: set of one of x, y = []',
          'permit p',
          '  when [] is requester.guardianOf and [x] is request.kinds and patron is requester.role',
          '  because access',
          '  says "x"',
        ),
      ),
      // The set equality is typed, and warned of: it holds of `[x]` alone (see test/language-gaps.test.ts).
    ).toEqual(['set-equality warning 36:39-36:59']);
    expect(diagnose(withBase('permit p', '  when [] is 5', '  because access', '  says "x"'))).toEqual([
      'type-mismatch error 34:8-34:10',
    ]);
  });

  it('reads a value named like a condition as a value beside an enumeration, and finds no cycle in it', () => {
    const text = withBase(
      'condition staff when requester.role is staff',
      'permit p',
      '  when staff is requester.role and staff',
      '  because access',
      '  says "x"',
    );
    expect(diagnose(text)).toEqual([]);
  });
});
