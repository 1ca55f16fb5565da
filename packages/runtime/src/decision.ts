// What an engine returns is frozen (see `Engine.decide`), and typed so: every field readonly, every list a
// `ReadonlyArray`, so that changing a decision is a type error rather than a TypeError at run time.

/** A rule that decided a query, as the decision reports it. */
export interface Reason {
  readonly rule: string;
  /** `refusal`: the query could not be read, so it was denied without asking the policy. */
  readonly effect: 'permit' | 'forbid' | 'default' | 'refusal';
  /** The rule in plain English. */
  readonly text: string;
  /** Ids of the authorities and sections it cites. */
  readonly citations: readonly string[];
}

/** A duty the decision carries: what staff must do now. */
export interface ObligationResult {
  readonly id: string;
  readonly text: string;
  readonly citations: readonly string[];
}

/** An authority, section or interpretation a decision cites, with the text it quotes. */
export interface Citation {
  readonly id: string;
  /** An authority (a statute), a section of the policy itself, or an interpretation (a reading the policy took). */
  readonly kind: 'authority' | 'section' | 'interpretation';
  readonly label: string;
  /** An authority's quoted text. */
  readonly text?: string;
  /** An authority's version: the act that enacted or last amended it (`P.A. 07-227`), the date it took effect. */
  readonly act?: string;
  readonly effective?: string;
  /** For an authority replaced since: when, and by which authority (its id, also cited). */
  readonly superseded?: string;
  readonly supersededBy?: string;
}

/** Why a query was refused: a closed set of problems, each naming the field it concerns. */
export type QueryError = Readonly<
  | { code: 'not-an-object'; path: string; message: string }
  | { code: 'unknown-field'; path: string; message: string; suggestion?: string }
  | { code: 'missing-field'; path: string; message: string }
  | { code: 'wrong-type'; path: string; message: string; expected: string }
  | { code: 'unknown-value'; path: string; message: string; allowed: readonly string[]; suggestion?: string }
  | { code: 'too-large'; path: string; message: string; limit: number }
  /** An integer outside the bounds its attribute declares (`integer 0..150`): `min` and `max` where declared. */
  | { code: 'out-of-range'; path: string; message: string; min?: number; max?: number }
  /** No member in a set its attribute declares `non-empty`. */
  | { code: 'empty-set'; path: string; message: string }
  /** An identifier that is empty, or holds whitespace, a control or an invisible character (see `isIdentifier`). */
  | { code: 'invalid-identifier'; path: string; message: string }
  | { code: 'invalid-json'; path: string; message: string }
  /** Reading the query threw, or it read differently the second time: a getter or a proxy in it. */
  | { code: 'unreadable'; path: string; message: string }
  /** Deciding failed (the host's built-in objects were tampered with): nothing is released. */
  | { code: 'internal-error'; path: string; message: string }
>;

/**
 * The answer to a query. Every decision the policy makes cites the law; a query that could not be read is refused,
 * a deny that cites nothing and says why in `errors`.
 */
export interface Decision {
  readonly decision: 'permit' | 'deny';
  readonly policy: { readonly id: string; readonly title: string; readonly version?: string };
  readonly reasons: readonly Reason[];
  readonly obligations: readonly ObligationResult[];
  readonly citations: readonly Citation[];
  /** Non-empty only when the query was invalid: the decision is then `deny`. */
  readonly errors: readonly QueryError[];
}
