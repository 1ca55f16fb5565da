import { suggest } from '@tenet/runtime';
import type { Declaration, InterpretationDeclaration, Name } from '../ast.js';
import type { AttributeInfo, CheckedPolicy } from '../checker.js';
import type { Diagnostic, DiagnosticCode, SourceSpan } from '../diagnostics.js';
import type { Program } from '../program.js';
import type { Type } from '../types.js';

export const BOOLEAN: Type = { kind: 'boolean' };
export const INTEGER: Type = { kind: 'integer' };
export const IDENTIFIER: Type = { kind: 'identifier' };

/** What one run of the checker shares between its parts: the policy being built, the problems found, what is used. */
export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  /** The declarations something names: the rest of the main file's are reported unused. */
  readonly used = new Set<Declaration>();
  /** The interpretations by id, made when first cited (they are collected in a list). */
  readings?: Map<string, InterpretationDeclaration>;
  readonly result: CheckedPolicy;

  constructor(program: Program) {
    this.result = {
      program,
      entities: new Map(),
      attributes: new Map(),
      authorities: new Map(),
      sections: new Map(),
      conditions: new Map(),
      rules: [],
      obligations: new Map(),
      requirements: [],
      assertions: [],
      examples: [],
      interpretations: [],
      sectionOf: new Map(),
      references: new Map(),
      uses: new Map(),
    };
  }

  report(
    code: DiagnosticCode,
    message: string,
    span: SourceSpan,
    extra: Partial<Pick<Diagnostic, 'help' | 'fix' | 'related' | 'severity'>> = {},
  ): void {
    this.diagnostics.push({ code, severity: 'error', message, span, ...extra });
  }

  /** Reports a name that resolves to nothing, suggesting the closest known name with a fix. */
  unknown(code: DiagnosticCode, what: string, name: Name, known: Iterable<string>, hint?: string): void {
    const suggestion = suggest(name.text, known);
    this.report(code, `unknown ${what} \`${name.text}\``, name.span, {
      ...(suggestion
        ? {
            help: `did you mean \`${suggestion}\`?`,
            fix: {
              title: `replace with \`${suggestion}\``,
              edits: [{ span: name.span, newText: suggestion }],
            },
          }
        : hint
          ? { help: hint }
          : {}),
    });
  }

  /** Records that a name written in the policy refers to a declaration, and that the declaration is used. */
  resolve(name: Name, declaration: Declaration): void {
    this.used.add(declaration);
    this.result.uses.set(name, { kind: 'declaration', declaration });
  }

  /** Records that a name written in the policy refers to an attribute of the vocabulary. */
  resolveAttribute(name: Name, attribute: AttributeInfo): void {
    this.used.add(attribute.entity);
    this.result.uses.set(name, { kind: 'attribute', attribute });
  }
}
