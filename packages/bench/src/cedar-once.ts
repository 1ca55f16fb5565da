/**
 * `node dist/cedar-once.js [query]`: one Wethersfield query decided by Cedar in a fresh process, to time a cold
 * Cedar decision as a whole process (loading cedar-wasm, validating and parsing the policy, deciding once). The
 * query is JSON on the command line, shaped as `decideByHand` takes it; without one, a reporter asks what the
 * mayor borrowed. Prints the decision and its deciding rules as JSON.
 */
import { createCedarEngine } from './cedar.js';
import type { WethersfieldQuery } from './wethersfield.js';

const query: WethersfieldQuery = process.argv[2]
  ? (JSON.parse(process.argv[2]) as WethersfieldQuery)
  : { requester: { id: 'r-7', role: 'reporter' }, record: { subjectId: 'p-mayor' } };
console.log(JSON.stringify(createCedarEngine().decide(query)));
