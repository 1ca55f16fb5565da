import type { CheckedPolicy, ExampleDeclaration } from '@tenet/language';
import { literal } from './lower.js';

/** An example of the policy, as a query and the outcome it must get. */
export interface ExampleCase {
  description: string;
  /** The source of the example, for reports. */
  declaration: ExampleDeclaration;
  query: Record<string, Record<string, unknown>>;
  expect: { decision: 'permit' | 'deny'; rules?: string[]; obligations: string[] };
}

/** The policy's examples as queries. Examples without an expectation (a checker error) are left out. */
export function examplesOf(checked: CheckedPolicy): ExampleCase[] {
  return checked.examples.flatMap((example) => {
    const expect = example.expect;
    if (!expect) return [];
    // Keys are defined, never assigned: a name like `__proto__` is a key like any other, not a prototype.
    const put = (object: Record<string, unknown>, key: string, value: unknown) =>
      Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
    const query: ExampleCase['query'] = {};
    for (const given of example.given) {
      const entity = Object.hasOwn(query, given.entity.text)
        ? (query[given.entity.text] as Record<string, unknown>)
        : {};
      put(query, given.entity.text, entity);
      for (const field of given.fields) put(entity, field.name.text, literal(field.value));
    }
    return [
      {
        description: example.description.value,
        declaration: example,
        query,
        expect: {
          decision: expect.decision,
          ...(expect.rules ? { rules: expect.rules.map((r) => r.text) } : {}),
          obligations: expect.obligations.map((o) => o.text),
        },
      },
    ];
  });
}
