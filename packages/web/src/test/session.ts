/**
 * @module test/session
 * `GET /api/v1/auth/session`'s answer for Olivia, signed in, who is (or is not) an instance
 * administrator: for pages whose links or access depend on that.
 */
export function sessionAnswer(isInstanceAdmin: boolean) {
  return {
    status: 200,
    body: {
      user: {
        id: 'u-1',
        email: 'olivia@example.com',
        name: 'Olivia Owner',
        isInstanceAdmin,
        createdAt: '2026-11-29T10:00:00.000Z',
        lastLoginAt: null,
      },
      csrfToken: 'csrf',
    },
  };
}
