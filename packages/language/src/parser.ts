import {
  type CstNode,
  CstParser,
  EOF,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
} from 'chevrotain';
import * as t from './tokens.js';

/** How many parse errors a file may have before the parser gives up on the rest of it. */
export const MAX_PARSE_ERRORS = 50;

function describe(token: IToken): string {
  if (token.tokenType === EOF) return 'the end of the file';
  const image = token.image.length > 24 ? `${token.image.slice(0, 24)}…` : token.image;
  return `\`${image.replace(/\s+/g, ' ')}\``;
}

const ruleDescriptions: Record<string, string> = {
  file: 'a declaration',
  declaration: 'a declaration',
  expression: 'a condition',
  primary: 'a condition',
  operand: 'a value or an attribute',
  literal: 'a value',
  scalar: 'a value',
  type: 'a type (`boolean`, `integer`, `identifier`, `one of …`, `set of …`)',
};

function expectedList(paths: TokenType[][], ruleName: string): string {
  const labels = [...new Set(paths.map((path) => path[0]).filter((tok) => tok !== undefined))].map(
    (tok) => tok.LABEL ?? tok.name,
  );
  if (labels.length === 0 || labels.length > 5) return ruleDescriptions[ruleName] ?? 'something else';
  if (labels.length === 1) return labels[0] ?? '';
  return `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`;
}

/** Messages in our own voice: lowercase, one line, user input in backticks. */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) =>
    `expected ${expected.LABEL ?? expected.name}, found ${describe(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `unexpected ${describe(firstRedundant)}`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, ruleName }) =>
    `expected ${expectedList(expectedPathsPerAlt.flat(), ruleName)}, found ${describe(actual[0] as IToken)}`,
  buildEarlyExitMessage: ({ expectedIterationPaths, actual, ruleName }) =>
    `expected ${expectedList(expectedIterationPaths, ruleName)}, found ${describe(actual[0] as IToken)}`,
};

/** What may follow an enumeration value's label: more values, a default, a description (or a clause, below). */
const labelFollows = new Set<TokenType>([t.Comma, t.Equals, t.StringLiteral]);

/**
 * Whether `first`, then `second`, start an attribute's clause (`label "…"`, `advice never`) rather than the next
 * attribute, which may be named `label` or `advice` too: a name is followed by `:`.
 */
function clauseFollows(first: TokenType, second: TokenType): boolean {
  return (first === t.Label || first === t.Advice) && second !== t.Colon;
}

const strayTokens = t.allTokens.filter(
  (tok) => tok.GROUP === undefined && tok !== t.AnyKeyword && !t.declarationStarts.includes(tok),
);

/**
 * The grammar of `.policy` files, and nothing else: no semantic actions. The CST it builds is turned into
 * the AST by `cst-to-ast.ts`. One instance is made and reused for every input.
 */
export class PolicyParser extends CstParser {
  /**
   * Builds the parser. Chevrotain's checks of the grammar itself (ambiguities, left recursion) run only when
   * `validate` is set, as the tests do: they find nothing in a grammar that passed them once, and they are half
   * the time it takes to build the parser, which every process that reads a policy pays at start-up.
   */
  constructor({ validate = false }: { validate?: boolean } = {}) {
    super(t.allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: 'full',
      maxLookahead: 1,
      errorMessageProvider: messages,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
  }

  /** The token where the parser gave up after {@link MAX_PARSE_ERRORS} errors; reset by {@link parseTokens}. */
  stoppedAt: IToken | undefined;

  /** Parses a file's tokens into its CST. */
  parseTokens(tokens: IToken[]): CstNode {
    this.stoppedAt = undefined;
    this.input = tokens;
    return this.file();
  }

  readonly file = this.RULE('file', () => {
    this.MANY({
      GATE: () => {
        if (this.errors.length < MAX_PARSE_ERRORS) return true;
        if (this.LA(1).tokenType !== EOF) this.stoppedAt ??= this.LA(1);
        return false;
      },
      DEF: () =>
        this.OR([{ ALT: () => this.SUBRULE(this.declaration) }, { ALT: () => this.SUBRULE(this.stray) }]),
    });
  });

  /** Tokens where a declaration should start: reported once per run, then skipped. */
  readonly stray = this.RULE('stray', () => {
    this.AT_LEAST_ONE(() => this.OR(strayTokens.map((tok) => ({ ALT: () => this.CONSUME(tok) }))));
  });

  readonly declaration = this.RULE('declaration', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.policyDeclaration) },
      { ALT: () => this.SUBRULE(this.importDeclaration) },
      { ALT: () => this.SUBRULE(this.entityDeclaration) },
      { ALT: () => this.SUBRULE(this.authorityDeclaration) },
      { ALT: () => this.SUBRULE(this.conditionDeclaration) },
      { ALT: () => this.SUBRULE(this.sectionDeclaration) },
      { ALT: () => this.SUBRULE(this.ruleDeclaration) },
      { ALT: () => this.SUBRULE(this.obligationDeclaration) },
      { ALT: () => this.SUBRULE(this.requireDeclaration) },
      { ALT: () => this.SUBRULE(this.assertDeclaration) },
      { ALT: () => this.SUBRULE(this.exampleDeclaration) },
      { ALT: () => this.SUBRULE(this.interpretationDeclaration) },
    ]);
  });

  readonly policyDeclaration = this.RULE('policyDeclaration', () => {
    this.CONSUME(t.Policy);
    this.CONSUME(t.Identifier);
    this.OPTION(() => this.CONSUME(t.StringLiteral));
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.ownerClause) },
        { ALT: () => this.SUBRULE(this.versionClause) },
        { ALT: () => this.SUBRULE(this.historyClause) },
        { ALT: () => this.SUBRULE(this.defaultClause) },
        { ALT: () => this.SUBRULE(this.comparedClause) },
        { ALT: () => this.SUBRULE(this.referralClause) },
      ]),
    );
  });

  /** `compared with "path"`: the reference policy (the law in force) the policy's departures are measured against. */
  readonly comparedClause = this.RULE('comparedClause', () => {
    this.CONSUME(t.Compared);
    this.CONSUME(t.With);
    this.CONSUME(t.StringLiteral);
  });

  /** `referral "…"`: what advice says where only counsel can establish what would change the answer. */
  readonly referralClause = this.RULE('referralClause', () => {
    this.CONSUME(t.Referral);
    this.SUBRULE(this.text);
  });

  readonly ownerClause = this.RULE('ownerClause', () => {
    this.CONSUME(t.Owner);
    this.CONSUME(t.StringLiteral);
  });

  readonly versionClause = this.RULE('versionClause', () => {
    this.CONSUME(t.Version);
    this.OR([{ ALT: () => this.CONSUME(t.DateLiteral) }, { ALT: () => this.CONSUME(t.StringLiteral) }]);
  });

  readonly historyClause = this.RULE('historyClause', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.Adopted) },
      { ALT: () => this.CONSUME(t.Approved) },
      { ALT: () => this.CONSUME(t.Revised) },
      { ALT: () => this.CONSUME(t.Amended) },
      { ALT: () => this.CONSUME(t.Affirmed) },
    ]);
    this.CONSUME(t.DateLiteral);
    this.OPTION(() => {
      this.CONSUME(t.By);
      this.CONSUME(t.StringLiteral);
    });
  });

  readonly defaultClause = this.RULE('defaultClause', () => {
    this.CONSUME(t.Default);
    this.OR([{ ALT: () => this.CONSUME(t.Permit) }, { ALT: () => this.CONSUME(t.Deny) }]);
    this.OPTION(() => this.SUBRULE(this.becauseClause));
  });

  readonly importDeclaration = this.RULE('importDeclaration', () => {
    this.CONSUME(t.Import);
    this.CONSUME(t.StringLiteral);
  });

  readonly entityDeclaration = this.RULE('entityDeclaration', () => {
    this.CONSUME(t.Entity);
    this.CONSUME(t.Identifier);
    this.OPTION(() => this.CONSUME(t.StringLiteral));
    // An attribute starts with a name; a keyword there is an attribute's name only when `:` follows (`owner:`),
    // and otherwise starts the next declaration.
    this.MANY({
      GATE: () => this.LA(1).tokenType === t.Identifier || this.LA(2).tokenType === t.Colon,
      DEF: () => this.SUBRULE(this.attributeDeclaration),
    });
  });

  readonly attributeDeclaration = this.RULE('attributeDeclaration', () => {
    this.SUBRULE(this.attributeName);
    this.CONSUME(t.Colon);
    this.SUBRULE(this.type);
    this.OPTION(() => {
      this.CONSUME(t.Equals);
      this.SUBRULE(this.literal);
    });
    this.OPTION2(() => this.CONSUME(t.StringLiteral));
    // `label` and `advice` start a clause only when what follows fits one: an attribute may be named `label:`.
    this.MANY({
      GATE: () => clauseFollows(this.LA(1).tokenType, this.LA(2).tokenType),
      DEF: () =>
        this.OR([
          { ALT: () => this.SUBRULE(this.labelClause) },
          { ALT: () => this.SUBRULE(this.adviceClause) },
        ]),
    });
  });

  /** `label "the process is in proper form"`: the attribute in the words an answer uses. */
  readonly labelClause = this.RULE('labelClause', () => {
    this.CONSUME(t.Label);
    this.CONSUME(t.StringLiteral);
  });

  /** `advice suggest | never | counsel`: whether advice may suggest a change of the attribute, and how. */
  readonly adviceClause = this.RULE('adviceClause', () => {
    this.CONSUME(t.Advice);
    this.OR([
      { ALT: () => this.CONSUME(t.Suggest) },
      { ALT: () => this.CONSUME(t.Never) },
      { ALT: () => this.CONSUME(t.Counsel) },
    ]);
  });

  /** The name of an attribute: any name, keywords included (`owner`, `title`), where nothing else can stand. */
  readonly attributeName = this.RULE('attributeName', () => {
    this.OR([{ ALT: () => this.CONSUME(t.Identifier) }, { ALT: () => this.CONSUME(t.AnyKeyword) }]);
  });

  readonly type = this.RULE('type', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.BooleanType) },
      {
        ALT: () => {
          this.CONSUME(t.IntegerType);
          this.OPTION(() => this.SUBRULE(this.integerRange));
        },
      },
      { ALT: () => this.CONSUME(t.IdentifierType) },
      { ALT: () => this.SUBRULE(this.enumType) },
      {
        ALT: () => {
          this.OPTION2(() => this.CONSUME(t.NonEmpty));
          this.CONSUME(t.SetOf);
          this.CONSUME(t.Of);
          this.OR2([
            { ALT: () => this.CONSUME2(t.IdentifierType) },
            { ALT: () => this.SUBRULE2(this.enumType) },
          ]);
        },
      },
    ]);
  });

  /** `0..150`, `0..` or `..150`: the least and the greatest value an integer attribute may hold. */
  readonly integerRange = this.RULE('integerRange', () => {
    this.OPTION(() => this.CONSUME(t.IntegerLiteral));
    this.CONSUME(t.Range);
    this.OPTION2(() => this.CONSUME2(t.IntegerLiteral));
  });

  readonly enumType = this.RULE('enumType', () => {
    this.CONSUME(t.One);
    this.CONSUME(t.Of);
    // A string after a value is its label when more of the attribute follows (a value, a default, a description, a
    // clause); otherwise it is the attribute's description.
    this.AT_LEAST_ONE_SEP({
      SEP: t.Comma,
      DEF: () => {
        this.CONSUME(t.Identifier);
        this.OPTION({
          GATE: () =>
            this.LA(1).tokenType === t.StringLiteral &&
            (labelFollows.has(this.LA(2).tokenType) ||
              clauseFollows(this.LA(2).tokenType, this.LA(3).tokenType)),
          DEF: () => this.CONSUME(t.StringLiteral),
        });
      },
    });
  });

  readonly authorityDeclaration = this.RULE('authorityDeclaration', () => {
    this.CONSUME(t.Authority);
    this.CONSUME(t.Identifier);
    this.CONSUME(t.StringLiteral);
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.titleClause) },
        { ALT: () => this.SUBRULE(this.enactedClause) },
        { ALT: () => this.SUBRULE(this.amendedClause) },
        { ALT: () => this.SUBRULE(this.effectiveClause) },
        { ALT: () => this.SUBRULE(this.supersededClause) },
        { ALT: () => this.SUBRULE(this.quoteClause) },
      ]),
    );
  });

  readonly titleClause = this.RULE('titleClause', () => {
    this.CONSUME(t.Title);
    this.CONSUME(t.StringLiteral);
  });

  readonly enactedClause = this.RULE('enactedClause', () => {
    this.CONSUME(t.Enacted);
    this.CONSUME(t.By);
    this.CONSUME(t.StringLiteral);
  });

  readonly amendedClause = this.RULE('amendedClause', () => {
    this.CONSUME(t.Amended);
    this.CONSUME(t.By);
    this.CONSUME(t.StringLiteral);
  });

  readonly effectiveClause = this.RULE('effectiveClause', () => {
    this.CONSUME(t.Effective);
    this.CONSUME(t.DateLiteral);
  });

  readonly supersededClause = this.RULE('supersededClause', () => {
    this.CONSUME(t.Superseded);
    this.CONSUME(t.DateLiteral);
    this.OPTION(() => {
      this.CONSUME(t.By);
      this.CONSUME(t.Identifier);
    });
  });

  readonly quoteClause = this.RULE('quoteClause', () => {
    this.CONSUME(t.Quote);
    this.SUBRULE(this.text);
  });

  readonly text = this.RULE('text', () => {
    this.OR([{ ALT: () => this.CONSUME(t.TextBlock) }, { ALT: () => this.CONSUME(t.StringLiteral) }]);
  });

  readonly conditionDeclaration = this.RULE('conditionDeclaration', () => {
    this.CONSUME(t.Condition);
    this.CONSUME(t.Identifier);
    this.OPTION(() => this.CONSUME(t.StringLiteral));
    this.MANY(() => this.SUBRULE(this.whenClause));
  });

  readonly sectionDeclaration = this.RULE('sectionDeclaration', () => {
    this.CONSUME(t.Section);
    this.CONSUME(t.Identifier);
    this.CONSUME(t.StringLiteral);
    this.MANY(() => this.SUBRULE(this.quoteClause));
  });

  readonly ruleDeclaration = this.RULE('ruleDeclaration', () => {
    this.OR([{ ALT: () => this.CONSUME(t.Permit) }, { ALT: () => this.CONSUME(t.Forbid) }]);
    this.CONSUME(t.Identifier);
    this.MANY(() =>
      this.OR2([
        { ALT: () => this.SUBRULE(this.whenClause) },
        { ALT: () => this.SUBRULE(this.becauseClause) },
        { ALT: () => this.SUBRULE(this.saysClause) },
        { ALT: () => this.SUBRULE(this.overridesClause) },
      ]),
    );
  });

  /** `overrides RULE, …`: the permits a forbid is meant to win over where both apply. */
  readonly overridesClause = this.RULE('overridesClause', () => {
    this.CONSUME(t.Overrides);
    this.SUBRULE(this.nameList);
  });

  readonly whenClause = this.RULE('whenClause', () => {
    this.CONSUME(t.When);
    this.SUBRULE(this.expression);
  });

  readonly becauseClause = this.RULE('becauseClause', () => {
    this.CONSUME(t.Because);
    this.SUBRULE(this.nameList);
  });

  readonly saysClause = this.RULE('saysClause', () => {
    this.CONSUME(t.Says);
    this.SUBRULE(this.text);
  });

  readonly nameList = this.RULE('nameList', () => {
    this.AT_LEAST_ONE_SEP({ SEP: t.Comma, DEF: () => this.CONSUME(t.Identifier) });
  });

  readonly obligationDeclaration = this.RULE('obligationDeclaration', () => {
    this.CONSUME(t.Obligation);
    this.CONSUME(t.Identifier);
    this.OPTION(() => this.CONSUME(t.StringLiteral));
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.saysClause) },
        { ALT: () => this.SUBRULE(this.becauseClause) },
      ]),
    );
  });

  readonly requireDeclaration = this.RULE('requireDeclaration', () => {
    this.CONSUME(t.Require);
    this.CONSUME(t.Identifier);
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.whenClause) },
        { ALT: () => this.SUBRULE(this.becauseClause) },
      ]),
    );
  });

  readonly assertDeclaration = this.RULE('assertDeclaration', () => {
    this.CONSUME(t.Assert);
    this.CONSUME(t.Identifier);
    this.OPTION(() => this.CONSUME(t.StringLiteral));
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.claimClause) },
        { ALT: () => this.SUBRULE(this.becauseClause) },
      ]),
    );
  });

  readonly claimClause = this.RULE('claimClause', () => {
    this.OR([{ ALT: () => this.CONSUME(t.Always) }, { ALT: () => this.CONSUME(t.Never) }]);
    this.OR2([
      {
        ALT: () => {
          this.OR4([{ ALT: () => this.CONSUME(t.Permit) }, { ALT: () => this.CONSUME(t.Deny) }]);
          this.OPTION3(() => {
            this.CONSUME(t.By);
            this.CONSUME3(t.Identifier);
          });
          this.OPTION2(() => {
            this.CONSUME(t.With);
            this.CONSUME2(t.Identifier);
          });
        },
      },
      {
        ALT: () => {
          this.OR3([
            { ALT: () => this.CONSUME(t.Require) },
            { ALT: () => this.CONSUME(t.Cite) },
            { ALT: () => this.CONSUME(t.Apply) },
          ]);
          this.CONSUME(t.Identifier);
        },
      },
    ]);
    this.OPTION(() => this.SUBRULE(this.whenClause));
  });

  readonly exampleDeclaration = this.RULE('exampleDeclaration', () => {
    this.CONSUME(t.Example);
    this.CONSUME(t.StringLiteral);
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.givenClause) },
        { ALT: () => this.SUBRULE(this.expectClause) },
      ]),
    );
  });

  readonly givenClause = this.RULE('givenClause', () => {
    this.CONSUME(t.Given);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.entityValue));
  });

  readonly entityValue = this.RULE('entityValue', () => {
    this.CONSUME(t.Identifier);
    this.CONSUME(t.LBrace);
    this.MANY_SEP({ SEP: t.Comma, DEF: () => this.SUBRULE(this.field) });
    this.CONSUME(t.RBrace);
  });

  readonly field = this.RULE('field', () => {
    this.SUBRULE(this.attributeName);
    this.CONSUME(t.Colon);
    this.SUBRULE(this.literal);
  });

  readonly expectClause = this.RULE('expectClause', () => {
    this.CONSUME(t.Expect);
    this.OR([{ ALT: () => this.CONSUME(t.Permit) }, { ALT: () => this.CONSUME(t.Deny) }]);
    this.MANY(() =>
      this.OR2([{ ALT: () => this.SUBRULE(this.byList) }, { ALT: () => this.SUBRULE(this.withList) }]),
    );
  });

  readonly byList = this.RULE('byList', () => {
    this.CONSUME(t.By);
    this.SUBRULE(this.nameList);
  });

  readonly withList = this.RULE('withList', () => {
    this.CONSUME(t.With);
    this.SUBRULE(this.nameList);
  });

  readonly interpretationDeclaration = this.RULE('interpretationDeclaration', () => {
    this.CONSUME(t.Interpretation);
    this.CONSUME(t.Identifier);
    this.OPTION(() => this.CONSUME(t.StringLiteral));
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.saysClause) },
        { ALT: () => this.SUBRULE(this.becauseClause) },
        { ALT: () => this.SUBRULE(this.departureClause) },
      ]),
    );
  });

  /** `looser when …` / `stricter when …`: the queries on which the policy knowingly departs from the law in force. */
  readonly departureClause = this.RULE('departureClause', () => {
    this.OR([{ ALT: () => this.CONSUME(t.Looser) }, { ALT: () => this.CONSUME(t.Stricter) }]);
    this.SUBRULE(this.whenClause);
  });

  readonly expression = this.RULE('expression', () => {
    this.SUBRULE(this.andExpression);
    this.MANY(() => {
      this.CONSUME(t.Or);
      this.SUBRULE2(this.andExpression);
    });
  });

  readonly andExpression = this.RULE('andExpression', () => {
    this.SUBRULE(this.notExpression);
    this.MANY(() => {
      this.CONSUME(t.And);
      this.SUBRULE2(this.notExpression);
    });
  });

  readonly notExpression = this.RULE('notExpression', () => {
    this.MANY(() => this.CONSUME(t.Not));
    this.SUBRULE(this.primary);
  });

  readonly primary = this.RULE('primary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(t.RParen);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.operand);
          this.OPTION(() => this.SUBRULE(this.test));
        },
      },
    ]);
  });

  readonly test = this.RULE('test', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Is);
          this.OPTION(() => this.CONSUME(t.Not));
        },
      },
      {
        ALT: () => {
          this.OPTION2(() => this.CONSUME2(t.Not));
          this.CONSUME(t.In);
        },
      },
      { ALT: () => this.CONSUME(t.Within) },
      { ALT: () => this.CONSUME(t.Less) },
      { ALT: () => this.CONSUME(t.LessEqual) },
      { ALT: () => this.CONSUME(t.Greater) },
      { ALT: () => this.CONSUME(t.GreaterEqual) },
    ]);
    this.SUBRULE(this.operand);
  });

  /** What a test compares: an attribute path, a condition or enumeration value by name, or a literal. */
  readonly operand = this.RULE('operand', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Identifier);
          this.MANY(() => {
            this.CONSUME(t.Dot);
            this.SUBRULE(this.attributeName);
          });
        },
      },
      { ALT: () => this.CONSUME(t.StringLiteral) },
      { ALT: () => this.CONSUME(t.IntegerLiteral) },
      { ALT: () => this.CONSUME(t.True) },
      { ALT: () => this.CONSUME(t.False) },
      { ALT: () => this.SUBRULE(this.setLiteral) },
    ]);
  });

  /** A value written out, in a default or an example: a scalar, or a set of scalars. */
  readonly literal = this.RULE('literal', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.scalar) }, { ALT: () => this.SUBRULE(this.setLiteral) }]);
  });

  /** A set of scalars. Sets do not nest, so brackets never deepen the parser's recursion. */
  readonly setLiteral = this.RULE('setLiteral', () => {
    this.CONSUME(t.LBracket);
    this.MANY_SEP({ SEP: t.Comma, DEF: () => this.SUBRULE(this.scalar) });
    this.CONSUME(t.RBracket);
  });

  readonly scalar = this.RULE('scalar', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.StringLiteral) },
      { ALT: () => this.CONSUME(t.IntegerLiteral) },
      { ALT: () => this.CONSUME(t.True) },
      { ALT: () => this.CONSUME(t.False) },
      {
        // A path here is never a value, but is read as one so the checker can say what to write instead.
        ALT: () => {
          this.CONSUME(t.Identifier);
          this.MANY(() => {
            this.CONSUME(t.Dot);
            this.SUBRULE(this.attributeName);
          });
        },
      },
    ]);
  });
}

/** The one parser instance; Chevrotain parsers are built once and reset per input. */
export const parser = new PolicyParser();

/** A CST node's children by name, as Chevrotain builds them. */
export type Children = CstNode['children'];
