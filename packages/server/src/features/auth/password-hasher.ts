/**
 * @module features/auth/password-hasher
 * argon2id password hashes (PHC strings, so parameters travel with each hash and can be raised
 * later without invalidating old ones).
 */
import argon2 from 'argon2';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export interface Argon2Cost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP Password Storage Cheat Sheet (2024), argon2id option 2: m=19 MiB, t=2, p=1. */
export const RECOMMENDED_ARGON2_COST: Argon2Cost = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function argon2Hasher(cost: Argon2Cost = RECOMMENDED_ARGON2_COST): PasswordHasher {
  return {
    hash: (password) => argon2.hash(password, { type: argon2.argon2id, ...cost }),
    async verify(hash, password) {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
  };
}
