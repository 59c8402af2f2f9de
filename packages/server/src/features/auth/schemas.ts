/**
 * @module features/auth/schemas
 * Request and response schemas of sign-up, sign-in, sessions and people.
 */
import { z } from 'zod';
import { DisplayName, Timestamp } from '../../http/api-schemas.js';
import { PageQuery, pageResponse } from '../../http/pagination.js';

export const Email = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(320));
/** NIST SP 800-63B: at least 8 characters, allow long passphrases; we ask for 10. */
export const Password = z.string().min(10, 'must be at least 10 characters').max(200);

export const UserResponse = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isInstanceAdmin: z.boolean(),
  createdAt: Timestamp,
  lastLoginAt: Timestamp.nullable(),
});

/** An account as the user list shows it: who someone is, never how they sign in. */
export const UserSummaryResponse = UserResponse.pick({
  id: true,
  email: true,
  name: true,
  isInstanceAdmin: true,
  createdAt: true,
}).extend({ disabled: z.boolean().describe('Disabled accounts cannot sign in and have no session') });
export const UserPage = pageResponse(UserSummaryResponse);
export const ListUsersQuery = PageQuery.extend({
  search: z.string().trim().max(200).optional().describe('Case-insensitive text in the name or email'),
});

export const UserParams = z.object({ userId: z.string().min(1).max(100) });
export const UpdateUserBody = z
  .object({
    disabled: z.boolean().optional().describe('Disable (sign out everywhere, refuse sign-in) or enable'),
    isInstanceAdmin: z.boolean().optional().describe('Grant or revoke instance administration'),
  })
  .strict()
  .refine((body) => body.disabled !== undefined || body.isInstanceAdmin !== undefined, {
    message: 'set disabled, isInstanceAdmin or both',
  });

export const CreateUserBody = z.object({ email: Email, name: DisplayName, password: Password });
export const FirstSignUpBody = CreateUserBody.extend({
  setupCode: z.string().max(200).optional().describe('The setup code from the server log'),
});
export const SignInBody = z.object({ email: Email, password: z.string().min(1).max(200) });

export const SessionResponse = z.object({
  user: UserResponse,
  /** Echo in `x-csrf-token` on every cookie-authenticated change. */
  csrfToken: z.string(),
  expiresAt: Timestamp.optional(),
});

export const AuthStatusResponse = z.object({ needsFirstUser: z.boolean() });
