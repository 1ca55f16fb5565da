import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../src/index.js';

const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const bytesSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('sha256', () => {
  // FIPS 180-4's examples (NIST's "SHA-256 example" vectors): one block, two blocks, and many.
  it.each([
    ['the empty string', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['"abc"', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'the 448-bit message',
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    [
      'the 896-bit message',
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
    [
      'one million "a"',
      'a'.repeat(1_000_000),
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    ],
  ])('gives the NIST digest of %s', (_, text, digest) => {
    expect(sha256(text)).toBe(digest);
  });

  it('pads every length across block boundaries as Node does', () => {
    for (let n = 0; n <= 200; n++) {
      for (const unit of ['a', 'é', '€', '😀']) {
        const text = unit.repeat(n);
        expect(sha256(text), `${n} × ${unit}`).toBe(nodeSha256(text));
      }
    }
  });

  it('hashes a lone surrogate as U+FFFD, as TextEncoder encodes it', () => {
    for (const lone of ['\ud800', '\udbff', '\udc00', '\udfff', 'a\ud800', '\udc00\ud800', '\ud83d']) {
      expect(sha256(lone), JSON.stringify(lone)).toBe(bytesSha256(new TextEncoder().encode(lone)));
      expect(sha256(lone)).toBe(sha256(lone.replace(/[\ud800-\udfff]/g, '\ufffd')));
    }
    expect(sha256('\ud83d\ude00')).toBe(sha256('😀'));
  });

  it('agrees with node:crypto and TextEncoder on any string, astral and lone-surrogate characters among them', () => {
    const character = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x80, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    );
    fc.assert(
      fc.property(fc.array(character, { maxLength: 300 }), (characters) => {
        const text = characters.join('');
        const digest = sha256(text);
        expect(digest).toBe(nodeSha256(text));
        expect(digest).toBe(bytesSha256(new TextEncoder().encode(text)));
      }),
      { numRuns: 500 },
    );
  });
});
