/**
 * @module features/api-keys/api-key
 * Keys for programs. The secret is shown once at creation; only its digest and a visible prefix are
 * kept, so a key can be recognised in a list but never recovered.
 */
import type { ApiKeyKind } from '@cleave/core';

export interface ApiKey {
  id: string;
  projectId: string;
  environmentId: string | null;
  kind: ApiKeyKind;
  name: string;
  prefix: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export type { ApiKeyKind };
