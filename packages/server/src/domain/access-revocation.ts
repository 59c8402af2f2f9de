/**
 * @module domain/access-revocation
 * What a committed change takes away from someone already connected: a revoked key, a removed
 * member, a disabled account, a deleted environment or project. Requests re-check access each time, but a stream opened
 * before the change would otherwise go on receiving configurations; every API node hears these
 * notices (the change notifier fans them out) and closes the streams they cover.
 */
export type AccessRevocation =
  | { kind: 'api_key'; keyId: string }
  | { kind: 'member'; projectId: string; userId: string }
  /** An instance administrator disabled the account: everything the person holds, everywhere. */
  | { kind: 'user'; userId: string }
  | { kind: 'environment'; environmentId: string }
  | { kind: 'project'; projectId: string };

/** Who holds an open stream: what a revocation is matched against. */
export interface AccessHolder {
  projectId: string;
  environmentId: string;
  /** The API key the stream authenticated with. */
  keyId?: string;
  /** The person, for a stream opened with a session. */
  userId?: string;
}

export function revokes(revocation: AccessRevocation, holder: AccessHolder): boolean {
  switch (revocation.kind) {
    case 'api_key':
      return holder.keyId === revocation.keyId;
    case 'member':
      return holder.projectId === revocation.projectId && holder.userId === revocation.userId;
    case 'user':
      return holder.userId === revocation.userId;
    case 'environment':
      return holder.environmentId === revocation.environmentId;
    case 'project':
      return holder.projectId === revocation.projectId;
  }
}

/** Whether a value received from another node is a revocation this version understands. */
export function isAccessRevocation(value: unknown): value is AccessRevocation {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  const text = (name: string) => typeof candidate[name] === 'string';
  switch (candidate.kind) {
    case 'api_key':
      return text('keyId');
    case 'member':
      return text('projectId') && text('userId');
    case 'user':
      return text('userId');
    case 'environment':
      return text('environmentId');
    case 'project':
      return text('projectId');
    default:
      return false;
  }
}
