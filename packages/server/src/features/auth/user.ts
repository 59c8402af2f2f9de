/**
 * @module features/auth/user
 * A person who signs in. The password hash never leaves the auth feature.
 */
export interface User {
  id: string;
  email: string;
  name: string;
  isInstanceAdmin: boolean;
  /** Disabled by an instance administrator: cannot sign in, and has no session. */
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
  version: number;
}
