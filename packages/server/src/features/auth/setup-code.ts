/**
 * @module features/auth/setup-code
 * The one-time code that guards first-run sign-up. A fresh instance listens on every interface, so
 * whoever reached it first used to become its owner; now the first sign-up must also present this
 * code, which only someone who can read the server's log (or its configuration) knows.
 */
import { randomBytes } from 'node:crypto';
import { constantTimeEquals, sha256 } from './secrets.js';

/** Characters that survive being read off a terminal and typed: no 0/O, 1/I/l. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 20 characters of a 32-letter alphabet: 100 bits, shown in groups of four (`ABCD-EFGH-…`). */
export function newSetupCode(): string {
  const characters = [...randomBytes(20)].map((byte) => ALPHABET[byte % ALPHABET.length]);
  const groups: string[] = [];
  for (let index = 0; index < characters.length; index += 4)
    groups.push(characters.slice(index, index + 4).join(''));
  return groups.join('-');
}

/** Case, spaces and dashes don't matter: people copy codes by hand. */
export function setupCodeMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const normalise = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();
  // Digests first: equal lengths for the constant-time comparison, whatever was presented.
  return constantTimeEquals(sha256(normalise(expected)), sha256(normalise(presented)));
}
