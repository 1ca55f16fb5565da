import type { CstElement, CstNode, IToken } from 'chevrotain';
import type * as ast from './ast.js';
import type { Diagnostic, SourceSpan } from './diagnostics.js';
import type { SourceText } from './source-text.js';

type Children = CstNode['children'];

function isToken(element: CstElement | undefined): element is IToken {
  return element !== undefined && 'image' in element;
}

function tokensOf(ctx: Children, name: string): IToken[] {
  return (ctx[name] ?? []).filter(isToken);
}

function nodesOf(ctx: Children, name: string): CstNode[] {
  return (ctx[name] ?? []).filter((e): e is CstNode => !isToken(e));
}

/** The tokens of the `attributeName` nodes under `ctx`: names, or keywords standing as names. */
function attributeNames(ctx: Children): IToken[] {
  return nodesOf(ctx, 'attributeName').flatMap((n) => Object.values(n.children).flat().filter(isToken));
}

function firstToken(ctx: Children, ...names: string[]): IToken | undefined {
  for (const name of names) {
    const found = tokensOf(ctx, name)[0];
    if (found) return found;
  }
  return undefined;
}

/** Why a date is not a calendar date, or undefined when it is one. */
function dateProblem(value: string): string | undefined {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  if (month < 1 || month > 12) return `month \`${month}\` is not between 1 and 12`;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;
  if (day < 1 || day > days)
    return `day \`${day}\` is not in month ${month} of ${year}, which has ${days} days`;
  return undefined;
}

const escapes: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };

/** Removes the common indentation, and a blank first and last line, from a text block's body. */
function dedent(body: string): string {
  const lines = body.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[0]?.trim() === '') lines.shift();
  if (lines.length > 1 && lines.at(-1)?.trim() === '') lines.pop();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(common).trimEnd()).join('\n');
}

/** The condition that ends the declaration ending right before `offset`, if a condition ends it. */
function endingCondition(
  declarations: readonly ast.Declaration[],
  offset: number,
): ast.Expression | undefined {
  let before: ast.Declaration | undefined;
  for (const d of declarations)
    if (d.span.end.offset <= offset && (!before || d.span.end.offset > before.span.end.offset)) before = d;
  if (!before) return undefined;
  const conditions =
    before.kind === 'rule' || before.kind === 'condition' || before.kind === 'require'
      ? [before.when]
      : before.kind === 'assert'
        ? [before.claim?.when]
        : before.kind === 'interpretation'
          ? before.departures.map((d) => d.when)
          : [];
  const end = before.span.end.offset;
  return conditions.find((e) => e !== undefined && e.span.end.offset === end);
}

/** The operand a condition ends with, as written: the right side of its last test, or its last atom. */
function lastOperand(e: ast.Expression): ast.Operand {
  switch (e.kind) {
    case 'and':
    case 'or':
      return lastOperand(e.operands.at(-1) as ast.Expression);
    case 'not':
      return lastOperand(e.operand);
    case 'atom':
      return e.operand;
    case 'test':
      return e.right;
  }
}

/**
 * Turns a concrete syntax tree into the AST: decodes literals, gives every node its span, and reports what the
 * grammar accepts but the language does not (a clause written twice, an impossible date, an unterminated string).
 */
export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly source: SourceText) {}

  build(root: CstNode): ast.SourceFile {
    const declarations: ast.Declaration[] = [];
    for (const element of nodesOf(root.children, 'declaration').concat(nodesOf(root.children, 'stray'))) {
      if (element.name === 'stray') this.stray(element, declarations);
      else {
        const declaration = this.declaration(element);
        if (declaration) declarations.push(declaration);
      }
    }
    declarations.sort((a, b) => a.span.start.offset - b.span.start.offset);
    return { file: this.source.file, declarations, comments: [] };
  }

  private error(code: Diagnostic['code'], message: string, span: SourceSpan, help?: string): void {
    this.diagnostics.push({ code, severity: 'error', message, span, ...(help ? { help } : {}) });
  }

  private tokenSpan(token: IToken): SourceSpan {
    return this.source.span(token.startOffset, token.startOffset + token.image.length);
  }

  private nodeSpan(node: CstNode): SourceSpan {
    const location = node.location;
    const start = location?.startOffset ?? Number.NaN;
    const end = location?.endOffset ?? Number.NaN;
    return this.source.span(start, Number.isFinite(end) ? end + 1 : start);
  }

  private name(token: IToken | undefined, fallback: SourceSpan): ast.Name {
    if (!token || token.isInsertedInRecovery) return { text: '', span: fallback };
    return { text: token.image, span: this.tokenSpan(token) };
  }

  /**
   * Tokens where a declaration should start. Right after a condition that ends its declaration, they are most
   * likely more of the condition: the message says where the condition ended (`< 16 years`: at `16`).
   */
  private stray(node: CstNode, declarations: readonly ast.Declaration[]): void {
    const tokens = Object.values(node.children)
      .flat()
      .filter(isToken)
      .sort((a, b) => a.startOffset - b.startOffset);
    const first = tokens[0];
    const last = tokens.at(-1);
    if (!first || !last) return;
    const span = this.source.span(first.startOffset, last.startOffset + last.image.length);
    const shown = first.image.length > 24 ? `${first.image.slice(0, 24)}…` : first.image;
    const ended = endingCondition(declarations, first.startOffset);
    if (ended) {
      this.afterCondition(first, lastOperand(ended));
      return;
    }
    this.error(
      'syntax-error',
      `unexpected \`${shown.replace(/\s+/g, ' ')}\`: expected a declaration`,
      span,
      'a declaration starts with `policy`, `import`, `entity`, `authority`, `condition`, `section`, `permit`, ' +
        '`forbid`, `obligation`, `require`, `assert`, `example` or `interpretation`',
    );
  }

  /** A token right after a condition `end` ends: it is not part of the condition, and is said to be so. */
  private afterCondition(token: IToken, end: ast.Operand): void {
    const span = this.tokenSpan(token);
    const ended = this.source.text.slice(end.span.start.offset, end.span.end.offset);
    const shown = token.image.length > 24 ? `${token.image.slice(0, 24)}…` : token.image;
    const message = `unexpected \`${shown}\`: the condition ends at \`${ended}\``;
    if (end.kind === 'integer' && token.tokenType.name === 'Identifier') {
      // `16 years`, `30 days`: a unit, which the language does not write.
      this.diagnostics.push({
        code: 'syntax-error',
        severity: 'error',
        message: `${message}, and \`${token.image}\` is not part of the language`,
        span,
        help: `numbers are written without units (the attribute's description says what it counts): write \`${ended}\``,
        fix: {
          title: `remove \`${token.image}\``,
          edits: [{ span: this.source.span(end.span.end.offset, span.end.offset), newText: '' }],
        },
      });
      return;
    }
    this.error(
      'syntax-error',
      message,
      span,
      'join another test to it with `and` or `or`; a declaration starts on a line of its own',
    );
  }

  /** The one clause named `name`; any repeat of it is reported. */
  private clause(ctx: Children, name: string, label: string): CstNode | undefined {
    const [first, ...repeats] = nodesOf(ctx, name);
    for (const repeat of repeats) {
      this.diagnostics.push({
        code: 'duplicate-clause',
        severity: 'error',
        message: `\`${label}\` is written more than once here`,
        span: this.nodeSpan(repeat),
        help: `keep one \`${label}\` clause`,
        ...(first
          ? { related: [{ span: this.nodeSpan(first), message: `first \`${label}\` is here` }] }
          : {}),
      });
    }
    return first;
  }

  private string(token: IToken | undefined, fallback: SourceSpan): ast.Text {
    if (!token || token.isInsertedInRecovery) return { value: '', span: fallback };
    const span = this.tokenSpan(token);
    const image = token.image;
    if (token.tokenType.name === 'TextBlock') {
      const closed = image.length >= 6 && image.endsWith('"""');
      if (!closed) {
        this.error('unterminated-string', 'this text block is never closed', span, 'end it with `"""`');
      }
      return { value: dedent(image.slice(3, closed ? -3 : undefined)), span };
    }
    // Closed when the last `"` is not the first character and is not escaped (an even run of `\` before it).
    const backslashes = /\\*"$/.exec(image.slice(1))?.[0].length ?? 0;
    const closed = image.length >= 2 && image.endsWith('"') && (backslashes - 1) % 2 === 0;
    if (!closed) {
      this.error(
        'unterminated-string',
        'this string is not closed on its line',
        span,
        'end it with `"`, or use a `"""` text block for several lines',
      );
    }
    const body = image.slice(1, closed ? -1 : undefined);
    const value = body.replace(/\\(.)/g, (whole, c: string, at: number) => {
      const decoded = escapes[c];
      if (decoded !== undefined) return decoded;
      const start = token.startOffset + 1 + at;
      this.error(
        'invalid-escape',
        `\`${whole}\` is not an escape`,
        this.source.span(start, start + 2),
        'write `\\\\` for a backslash; the escapes are `\\"`, `\\\\`, `\\n` and `\\t`',
      );
      return c;
    });
    return { value, span };
  }

  private text(node: CstNode | undefined, fallback: SourceSpan): ast.Text {
    if (!node) return { value: '', span: fallback };
    return this.string(firstToken(node.children, 'TextBlock', 'StringLiteral'), this.nodeSpan(node));
  }

  private date(token: IToken | undefined, fallback: SourceSpan): ast.DateValue {
    if (!token || token.isInsertedInRecovery) return { value: '', span: fallback };
    const span = this.tokenSpan(token);
    const problem = dateProblem(token.image);
    if (problem)
      this.error(
        'invalid-date',
        `\`${token.image}\` is not a date: ${problem}`,
        span,
        'write the date as YYYY-MM-DD',
      );
    return { value: token.image, span };
  }

  private names(node: CstNode | undefined): ast.Name[] {
    if (!node) return [];
    const span = this.nodeSpan(node);
    return tokensOf(node.children, 'Identifier')
      .map((tok) => this.name(tok, span))
      .filter((n) => n.text !== '');
  }

  private because(ctx: Children): ast.Name[] {
    return this.names(nodesOf(this.clause(ctx, 'becauseClause', 'because')?.children ?? {}, 'nameList')[0]);
  }

  private when(ctx: Children): ast.Expression | undefined {
    const clause = this.clause(ctx, 'whenClause', 'when');
    const expression = clause && nodesOf(clause.children, 'expression')[0];
    return expression ? this.expression(expression) : undefined;
  }

  private overrides(ctx: Children): ast.Name[] | undefined {
    const clause = this.clause(ctx, 'overridesClause', 'overrides');
    return clause && this.names(nodesOf(clause.children, 'nameList')[0]);
  }

  private says(ctx: Children): ast.Text | undefined {
    const clause = this.clause(ctx, 'saysClause', 'says');
    return clause ? this.text(nodesOf(clause.children, 'text')[0], this.nodeSpan(clause)) : undefined;
  }

  private optionalString(ctx: Children, fallback: SourceSpan): ast.Text | undefined {
    const token = tokensOf(ctx, 'StringLiteral')[0];
    return token ? this.string(token, fallback) : undefined;
  }

  private declaration(node: CstNode): ast.Declaration | undefined {
    const inner = Object.values(node.children).flat()[0];
    if (!inner || isToken(inner)) return undefined;
    const ctx = inner.children;
    const span = this.nodeSpan(inner);
    const id = this.name(tokensOf(ctx, 'Identifier')[0], span);
    switch (inner.name) {
      case 'policyDeclaration':
        return this.policy(ctx, id, span);
      case 'importDeclaration':
        return { kind: 'import', path: this.string(tokensOf(ctx, 'StringLiteral')[0], span), span };
      case 'entityDeclaration':
        return {
          kind: 'entity',
          id,
          ...this.optional('description', this.optionalString(ctx, span)),
          attributes: nodesOf(ctx, 'attributeDeclaration').map((a) => this.attribute(a)),
          span,
        };
      case 'authorityDeclaration':
        return this.authority(ctx, id, span);
      case 'conditionDeclaration':
        return {
          kind: 'condition',
          id,
          ...this.optional('description', this.optionalString(ctx, span)),
          ...this.optional('when', this.when(ctx)),
          span,
        };
      case 'sectionDeclaration': {
        const quote = this.clause(ctx, 'quoteClause', 'quote');
        return {
          kind: 'section',
          id,
          title: this.string(tokensOf(ctx, 'StringLiteral')[0], span),
          ...this.optional(
            'quote',
            quote && this.text(nodesOf(quote.children, 'text')[0], this.nodeSpan(quote)),
          ),
          span,
        };
      }
      case 'ruleDeclaration':
        return {
          kind: 'rule',
          effect: tokensOf(ctx, 'Forbid').length > 0 ? 'forbid' : 'permit',
          id,
          ...this.optional('when', this.when(ctx)),
          because: this.because(ctx),
          ...this.optional('says', this.says(ctx)),
          ...this.optional('overrides', this.overrides(ctx)),
          span,
        };
      case 'obligationDeclaration':
        return {
          kind: 'obligation',
          id,
          ...this.optional('title', this.optionalString(ctx, span)),
          ...this.optional('says', this.says(ctx)),
          because: this.because(ctx),
          span,
        };
      case 'requireDeclaration':
        return {
          kind: 'require',
          obligation: id,
          ...this.optional('when', this.when(ctx)),
          because: this.because(ctx),
          span,
        };
      case 'assertDeclaration': {
        const claim = this.clause(ctx, 'claimClause', 'always/never');
        return {
          kind: 'assert',
          id,
          ...this.optional('description', this.optionalString(ctx, span)),
          ...this.optional('claim', claim && this.claim(claim)),
          because: this.because(ctx),
          span,
        };
      }
      case 'exampleDeclaration':
        return this.example(ctx, span);
      case 'interpretationDeclaration':
        return {
          kind: 'interpretation',
          id,
          ...this.optional('title', this.optionalString(ctx, span)),
          ...this.optional('says', this.says(ctx)),
          because: this.because(ctx),
          departures: nodesOf(ctx, 'departureClause').map((clause) => ({
            kind: tokensOf(clause.children, 'Looser').length > 0 ? 'looser' : 'stricter',
            ...this.optional('when', this.when(clause.children)),
            span: this.nodeSpan(clause),
          })),
          span,
        };
      default:
        return undefined;
    }
  }

  /** `{ key: value }` when the value is there, `{}` when not: keeps absent fields absent. */
  private optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
    return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
  }

  private policy(ctx: Children, id: ast.Name, span: SourceSpan): ast.PolicyDeclaration {
    const owner = this.clause(ctx, 'ownerClause', 'owner');
    const version = this.clause(ctx, 'versionClause', 'version');
    const fallback = this.clause(ctx, 'defaultClause', 'default');
    const compared = this.clause(ctx, 'comparedClause', 'compared with');
    const referral = this.clause(ctx, 'referralClause', 'referral');
    const history = nodesOf(ctx, 'historyClause').map((clause): ast.HistoryEvent => {
      const c = clause.children;
      const keyword = firstToken(c, 'Adopted', 'Approved', 'Revised', 'Amended', 'Affirmed');
      const clauseSpan = this.nodeSpan(clause);
      const by = tokensOf(c, 'StringLiteral')[0];
      return {
        event: (keyword?.image ?? 'revised') as ast.HistoryEvent['event'],
        date: this.date(tokensOf(c, 'DateLiteral')[0], clauseSpan),
        ...this.optional('by', by && this.string(by, clauseSpan)),
        span: clauseSpan,
      };
    });
    const versionToken = version && firstToken(version.children, 'DateLiteral', 'StringLiteral');
    return {
      kind: 'policy',
      id,
      ...this.optional('title', this.optionalString(ctx, span)),
      ...this.optional(
        'owner',
        owner && this.string(tokensOf(owner.children, 'StringLiteral')[0], this.nodeSpan(owner)),
      ),
      ...this.optional(
        'version',
        versionToken && {
          ...(versionToken.tokenType.name === 'DateLiteral'
            ? this.date(versionToken, this.nodeSpan(version))
            : this.string(versionToken, this.nodeSpan(version))),
          isDate: versionToken.tokenType.name === 'DateLiteral',
        },
      ),
      history,
      ...this.optional(
        'defaultEffect',
        fallback && {
          effect: tokensOf(fallback.children, 'Permit').length > 0 ? ('permit' as const) : ('deny' as const),
          because: this.because(fallback.children),
          span: this.nodeSpan(fallback),
        },
      ),
      ...this.optional(
        'comparedWith',
        compared && this.string(tokensOf(compared.children, 'StringLiteral')[0], this.nodeSpan(compared)),
      ),
      ...this.optional(
        'referral',
        referral && this.text(nodesOf(referral.children, 'text')[0], this.nodeSpan(referral)),
      ),
      span,
    };
  }

  private attribute(node: CstNode): ast.AttributeDeclaration {
    const ctx = node.children;
    const span = this.nodeSpan(node);
    const typeNode = nodesOf(ctx, 'type')[0];
    const literal = nodesOf(ctx, 'literal')[0];
    const label = this.clause(ctx, 'labelClause', 'label');
    const advice = this.clause(ctx, 'adviceClause', 'advice');
    const adviceWord = advice && firstToken(advice.children, 'Suggest', 'Never', 'Counsel');
    return {
      name: this.name(attributeNames(ctx)[0], span),
      type: typeNode ? this.type(typeNode) : { kind: 'identifier', span },
      ...this.optional('default', literal && this.literal(literal)),
      ...this.optional('description', this.optionalString(ctx, span)),
      ...this.optional(
        'label',
        label && this.string(tokensOf(label.children, 'StringLiteral')[0], this.nodeSpan(label)),
      ),
      ...this.optional(
        'advice',
        advice && {
          value: (adviceWord?.image ?? 'suggest') as ast.Advice,
          span: this.nodeSpan(advice),
        },
      ),
      span,
    };
  }

  private type(node: CstNode): ast.TypeExpression {
    const ctx = node.children;
    const span = this.nodeSpan(node);
    const enumNode = nodesOf(ctx, 'enumType')[0];
    const element: ast.TypeExpression | undefined = enumNode
      ? { kind: 'enum', ...this.enumValues(enumNode), span: this.nodeSpan(enumNode) }
      : tokensOf(ctx, 'IdentifierType').length > 0
        ? { kind: 'identifier', span: this.tokenSpan(tokensOf(ctx, 'IdentifierType')[0] as IToken) }
        : undefined;
    if (tokensOf(ctx, 'SetType').length > 0)
      return {
        kind: 'set',
        element: element ?? { kind: 'identifier', span },
        ...(tokensOf(ctx, 'NonEmpty').length > 0 ? { nonEmpty: true } : {}),
        span,
      };
    if (element) return element;
    if (tokensOf(ctx, 'BooleanType').length > 0) return { kind: 'boolean', span };
    if (tokensOf(ctx, 'IntegerType').length > 0) {
      const range = nodesOf(ctx, 'integerRange')[0];
      return { kind: 'integer', ...(range ? this.range(range) : {}), span };
    }
    return { kind: 'identifier', span };
  }

  /**
   * The bounds of `integer MIN..MAX`, either of which may be left out. Bounds that hold no integer are reported,
   * and dropped: nothing else is said of values that no bounds could hold.
   */
  private range(node: CstNode): { min?: number; max?: number } {
    const dots = tokensOf(node.children, 'Range')[0];
    const at = dots?.startOffset ?? Number.POSITIVE_INFINITY;
    const bounds = tokensOf(node.children, 'IntegerLiteral').filter((tok) => !tok.isInsertedInRecovery);
    const bound = (tok: IToken | undefined) => {
      if (!tok) return undefined;
      const operand = this.scalar({ IntegerLiteral: [tok] }, this.tokenSpan(tok));
      return operand.kind === 'integer' && Number.isSafeInteger(operand.value) ? operand.value : undefined;
    };
    const min = bound(bounds.find((tok) => tok.startOffset < at));
    const max = bound(bounds.find((tok) => tok.startOffset > at));
    if (min !== undefined && max !== undefined && min > max) {
      const span = this.nodeSpan(node);
      this.diagnostics.push({
        code: 'invalid-range',
        severity: 'error',
        message: `\`${min}..${max}\` holds no integer: the least value comes first`,
        span,
        help: `write \`${max}..${min}\``,
        fix: { title: `write \`${max}..${min}\``, edits: [{ span, newText: `${max}..${min}` }] },
      });
      return {};
    }
    return {
      ...(min === undefined ? {} : { min }),
      ...(max === undefined ? {} : { max }),
    };
  }

  /** An enumeration's values, each with the label written right after it, if any. */
  private enumValues(node: CstNode): { values: ast.Name[]; labels: (ast.Text | undefined)[] } {
    const span = this.nodeSpan(node);
    const labels = tokensOf(node.children, 'StringLiteral');
    const values = tokensOf(node.children, 'Identifier').filter((tok) => !tok.isInsertedInRecovery);
    return {
      values: values.map((tok) => this.name(tok, span)),
      labels: values.map((tok, i) => {
        const end = values[i + 1]?.startOffset ?? Number.POSITIVE_INFINITY;
        const label = labels.find((l) => l.startOffset > tok.startOffset && l.startOffset < end);
        return label && this.string(label, span);
      }),
    };
  }

  private authority(ctx: Children, id: ast.Name, span: SourceSpan): ast.AuthorityDeclaration {
    const stringIn = (clause: CstNode | undefined) =>
      clause && this.string(tokensOf(clause.children, 'StringLiteral')[0], this.nodeSpan(clause));
    const effective = this.clause(ctx, 'effectiveClause', 'effective');
    const superseded = this.clause(ctx, 'supersededClause', 'superseded');
    const quote = this.clause(ctx, 'quoteClause', 'quote');
    const supersededBy = superseded && tokensOf(superseded.children, 'Identifier')[0];
    return {
      kind: 'authority',
      id,
      label: this.string(tokensOf(ctx, 'StringLiteral')[0], span),
      ...this.optional('title', stringIn(this.clause(ctx, 'titleClause', 'title'))),
      ...this.optional('enactedBy', stringIn(this.clause(ctx, 'enactedClause', 'enacted by'))),
      amendedBy: nodesOf(ctx, 'amendedClause').map((c) => stringIn(c) as ast.Text),
      ...this.optional(
        'effective',
        effective && this.date(tokensOf(effective.children, 'DateLiteral')[0], this.nodeSpan(effective)),
      ),
      ...this.optional(
        'superseded',
        superseded && {
          date: this.date(tokensOf(superseded.children, 'DateLiteral')[0], this.nodeSpan(superseded)),
          ...this.optional('by', supersededBy && this.name(supersededBy, this.nodeSpan(superseded))),
          span: this.nodeSpan(superseded),
        },
      ),
      ...this.optional('quote', quote && this.text(nodesOf(quote.children, 'text')[0], this.nodeSpan(quote))),
      span,
    };
  }

  private claim(node: CstNode): ast.Claim {
    const ctx = node.children;
    const span = this.nodeSpan(node);
    const verb = firstToken(ctx, 'Permit', 'Deny', 'Require', 'Cite', 'Apply');
    const verbSpan = verb ? this.tokenSpan(verb) : span;
    const names = tokensOf(ctx, 'Identifier');
    const target = names[0];
    const last = names.at(-1);
    /** The name right after the keyword `word` (`by`, `with`), where it is written. */
    const after = (word: string) => {
      const keyword = tokensOf(ctx, word)[0];
      const name = keyword && names.find((tok) => tok.startOffset > keyword.startOffset);
      return name && this.name(name, verbSpan);
    };
    const kind = (verb?.image ?? 'permit') as 'permit' | 'deny' | 'require' | 'cite' | 'apply';
    const outcome: ast.Claim['outcome'] =
      kind === 'permit' || kind === 'deny'
        ? {
            kind,
            ...this.optional('by', after('By')),
            ...this.optional('with', after('With')),
            span: last
              ? this.source.span(verbSpan.start.offset, last.startOffset + last.image.length)
              : verbSpan,
          }
        : {
            kind,
            target: this.name(target, verbSpan),
            span: this.source.span(
              verbSpan.start.offset,
              target ? target.startOffset + target.image.length : verbSpan.end.offset,
            ),
          };
    return {
      quantifier: tokensOf(ctx, 'Never').length > 0 ? 'never' : 'always',
      outcome,
      ...this.optional('when', this.when(ctx)),
      span,
    };
  }

  private example(ctx: Children, span: SourceSpan): ast.ExampleDeclaration {
    const given = this.clause(ctx, 'givenClause', 'given');
    const expect = this.clause(ctx, 'expectClause', 'expect');
    return {
      kind: 'example',
      description: this.string(tokensOf(ctx, 'StringLiteral')[0], span),
      given: given ? nodesOf(given.children, 'entityValue').map((e) => this.entityValue(e)) : [],
      ...this.optional('expect', expect && this.expectation(expect)),
      span,
    };
  }

  private entityValue(node: CstNode): ast.EntityValue {
    const span = this.nodeSpan(node);
    return {
      entity: this.name(tokensOf(node.children, 'Identifier')[0], span),
      fields: nodesOf(node.children, 'field').map((field) => {
        const fieldSpan = this.nodeSpan(field);
        const literal = nodesOf(field.children, 'literal')[0];
        return {
          name: this.name(attributeNames(field.children)[0], fieldSpan),
          value: literal ? this.literal(literal) : { kind: 'path' as const, names: [], span: fieldSpan },
          span: fieldSpan,
        };
      }),
      span,
    };
  }

  private expectation(node: CstNode): ast.Expectation {
    const ctx = node.children;
    const span = this.nodeSpan(node);
    const list = (name: string, label: string) => {
      const clause = this.clause(ctx, name, label);
      return clause && this.names(nodesOf(clause.children, 'nameList')[0]);
    };
    const rules = list('byList', 'by');
    const obligations = list('withList', 'with') ?? [];
    return {
      decision: tokensOf(ctx, 'Permit').length > 0 ? 'permit' : 'deny',
      ...this.optional('rules', rules),
      obligations,
      span,
    };
  }

  private literal(node: CstNode): ast.Operand {
    const set = nodesOf(node.children, 'setLiteral')[0];
    if (set) return this.setLiteral(set);
    const scalar = nodesOf(node.children, 'scalar')[0];
    return scalar
      ? this.scalar(scalar.children, this.nodeSpan(scalar))
      : { kind: 'path', names: [], span: this.nodeSpan(node) };
  }

  private setLiteral(node: CstNode): ast.Operand {
    return {
      kind: 'set',
      elements: nodesOf(node.children, 'scalar').map((s) => this.scalar(s.children, this.nodeSpan(s))),
      span: this.nodeSpan(node),
    };
  }

  /** A scalar literal, or the operand of a test: both are read here. */
  private scalar(ctx: Children, span: SourceSpan): ast.Operand {
    const str = tokensOf(ctx, 'StringLiteral')[0];
    if (str) return { kind: 'string', value: this.string(str, span).value, span };
    const int = tokensOf(ctx, 'IntegerLiteral')[0];
    if (int) {
      const value = Number(int.image);
      if (!Number.isSafeInteger(value)) {
        this.error(
          'invalid-integer',
          `\`${int.image}\` is too large: integers lie between -9007199254740991 and 9007199254740991`,
          span,
        );
      }
      return { kind: 'integer', value, span };
    }
    if (tokensOf(ctx, 'True').length > 0) return { kind: 'boolean', value: true, span };
    if (tokensOf(ctx, 'False').length > 0) return { kind: 'boolean', value: false, span };
    const set = nodesOf(ctx, 'setLiteral')[0];
    if (set) return this.setLiteral(set);
    const names = [...tokensOf(ctx, 'Identifier'), ...attributeNames(ctx)]
      .sort((a, b) => a.startOffset - b.startOffset)
      .map((tok) => this.name(tok, span))
      .filter((n) => n.text !== '');
    return { kind: 'path', names, span };
  }

  private expression(node: CstNode): ast.Expression {
    const span = this.nodeSpan(node);
    const operands = nodesOf(node.children, 'andExpression').map((n) => this.andExpression(n));
    return operands.length === 1 ? (operands[0] as ast.Expression) : { kind: 'or', operands, span };
  }

  private andExpression(node: CstNode): ast.Expression {
    const span = this.nodeSpan(node);
    const operands = nodesOf(node.children, 'notExpression').map((n) => this.notExpression(n));
    return operands.length === 1 ? (operands[0] as ast.Expression) : { kind: 'and', operands, span };
  }

  private notExpression(node: CstNode): ast.Expression {
    const primary = nodesOf(node.children, 'primary')[0];
    let expression: ast.Expression = primary
      ? this.primary(primary)
      : {
          kind: 'atom',
          operand: { kind: 'boolean', value: false, span: this.nodeSpan(node) },
          span: this.nodeSpan(node),
        };
    // Innermost `not` first: each wraps what follows it.
    for (const not of tokensOf(node.children, 'Not').reverse()) {
      expression = {
        kind: 'not',
        operand: expression,
        span: this.source.span(not.startOffset, expression.span.end.offset),
      };
    }
    return expression;
  }

  private primary(node: CstNode): ast.Expression {
    const ctx = node.children;
    const span = this.nodeSpan(node);
    const inner = nodesOf(ctx, 'expression')[0];
    if (inner) return this.expression(inner);
    const operandNode = nodesOf(ctx, 'operand')[0];
    const left = operandNode
      ? this.scalar(operandNode.children, this.nodeSpan(operandNode))
      : { kind: 'boolean' as const, value: false, span };
    const test = nodesOf(ctx, 'test')[0];
    if (!test) return { kind: 'atom', operand: left, span };
    const t = test.children;
    const rightNode = nodesOf(t, 'operand')[0];
    const right = rightNode
      ? this.scalar(rightNode.children, this.nodeSpan(rightNode))
      : { kind: 'path' as const, names: [], span: this.nodeSpan(test) };
    const negated = tokensOf(t, 'Not').length > 0;
    const operator: ast.TestOperator =
      tokensOf(t, 'Is').length > 0
        ? negated
          ? 'is not'
          : 'is'
        : tokensOf(t, 'In').length > 0
          ? negated
            ? 'not in'
            : 'in'
          : ((firstToken(t, 'Within', 'LessEqual', 'GreaterEqual', 'Less', 'Greater')?.image ??
              'is') as ast.TestOperator);
    return { kind: 'test', operator, left, right, span };
  }
}
