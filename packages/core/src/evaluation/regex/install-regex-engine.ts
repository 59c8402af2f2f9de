/**
 * @module Installing Cleave's linear-time regex engine as the compiler of `matches` patterns
 * (see pattern-engine.ts for why it is installed rather than imported).
 */
import { compileOrExplain } from './compile-or-explain.js';
import { installPatternCompiler } from './pattern-engine.js';

/** Idempotent. @example installRegexEngine(); compileConfig(payloadWithMatches); */
export function installRegexEngine(): void {
  installPatternCompiler(compileOrExplain);
}
