/* What the runtime uses of the web platform, in every engine it supports (Node 20+, current browsers), declared
   here because it compiles without the DOM or Node type libraries. */
/** In every engine the runtime supports. `fatal`: invalid input throws a TypeError. */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
