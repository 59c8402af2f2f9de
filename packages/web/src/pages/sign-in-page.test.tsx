// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderUi, respond } from '../test/render.js';
import { SignInPage } from './sign-in-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the sign-in page', () => {
  it('asks for the setup code on first run when the server requires one, and sends it', async () => {
    const sent = respond(({ method, path }) => {
      if (method === 'GET' && path === '/api/v1/auth/status')
        return { status: 200, body: { needsFirstUser: true, setupCodeRequired: true } };
      if (method === 'POST' && path === '/api/v1/auth/signup')
        return {
          status: 400,
          body: {
            error: {
              code: 'validation_failed',
              message: 'The request is invalid.',
              details: {
                issues: [{ path: '/body/setupCode', message: 'is not the code this server printed' }],
              },
            },
          },
        };
      return undefined;
    });
    renderUi(<SignInPage />);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText(/Setup code/), ' 123-456 ');
    await user.type(screen.getByLabelText(/Your name/), 'Olivia');
    await user.type(screen.getByLabelText(/Email/), 'olivia@example.com');
    await user.type(screen.getByLabelText(/^Password/), 'long enough password');
    await user.click(screen.getByRole('button', { name: 'Create owner account' }));

    // The API's message sits under the field its JSON Pointer names.
    expect(await screen.findByText('is not the code this server printed')).toBeTruthy();
    expect(screen.getByLabelText(/Setup code/).getAttribute('aria-invalid')).toBe('true');
    expect(sent.at(-1)?.body).toEqual({
      name: 'Olivia',
      email: 'olivia@example.com',
      password: 'long enough password',
      setupCode: '123-456',
    });
  });

  it('shows no setup code field when the server does not ask for one, and sends none', async () => {
    const sent = respond(({ method, path }) => {
      if (path === '/api/v1/auth/status') return { status: 200, body: { needsFirstUser: true } };
      if (method === 'POST' && path === '/api/v1/auth/signup')
        return { status: 500, body: { error: { code: 'internal', message: 'Broken.' } } };
      return undefined;
    });
    renderUi(<SignInPage />);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText(/Your name/), 'Olivia');
    expect(screen.queryByLabelText(/Setup code/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Create owner account' }));
    // A failure that names no field is shown for the whole form.
    expect((await screen.findByRole('alert')).textContent).toContain('Broken.');
    expect(sent.at(-1)?.body).not.toHaveProperty('setupCode');
  });

  it('signs in an existing person and reports a wrong password', async () => {
    const sent = respond(({ method, path }) => {
      if (path === '/api/v1/auth/status') return { status: 200, body: { needsFirstUser: false } };
      if (method === 'POST' && path === '/api/v1/auth/login')
        return {
          status: 401,
          body: { error: { code: 'unauthorized', message: 'Wrong email or password.' } },
        };
      return undefined;
    });
    renderUi(<SignInPage />);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText(/Email/), 'olivia@example.com');
    await user.type(screen.getByLabelText(/^Password/), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Wrong email or password.'));
    expect(sent.at(-1)).toMatchObject({
      method: 'POST',
      body: { email: 'olivia@example.com', password: 'nope' },
    });
  });
});
