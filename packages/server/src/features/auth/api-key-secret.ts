/**
 * @module features/auth/api-key-secret
 * The format of API key secrets: `clv_<kind>_<43 random base64url chars>`. The kind is visible in
 * the key so a leaked key is recognisable (and secret scanners can match it); the first 16
 * characters are kept as the prefix shown in lists.
 */
import type { ApiKeyKind } from '@cleave/core';
import { randomToken } from './secrets.js';

export const API_KEY_PATTERN = /^clv_(sdk|server|admin)_[A-Za-z0-9_-]{20,100}$/;

export function newApiKeySecret(kind: ApiKeyKind): string {
  return `clv_${kind}_${randomToken(32)}`;
}

export function apiKeyPrefix(secret: string): string {
  return secret.slice(0, 16);
}
