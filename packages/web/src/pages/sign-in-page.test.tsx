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
  it('asks for the setup code on first run, sends it, and shows a refusal under it', async () => {
    const sent = respond(({ method, path }) => {
      if (method === 'GET' && path === '/api/v1/auth/status')
        return { status: 200, body: { needsFirstUser: true } };
      if (method === 'POST' && path === '/api/v1/auth/signup')
        return {
          status: 403,
          body: {
            error: {
              code: 'forbidden',
              message: 'The first account needs the setup code the server printed in its log at start-up.',
              details: { reason: 'setup_code' },
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

    expect(await screen.findByText(/needs the setup code/)).toBeTruthy();
    expect(screen.getByLabelText(/Setup code/).getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(sent.at(-1)?.body).toEqual({
      name: 'Olivia',
      email: 'olivia@example.com',
      password: 'long enough password',
      setupCode: '123-456',
    });
  });

  it('puts each validation message under the field its JSON Pointer names', async () => {
    respond(({ method, path }) => {
      if (path === '/api/v1/auth/status') return { status: 200, body: { needsFirstUser: true } };
      if (method === 'POST' && path === '/api/v1/auth/signup')
        return {
          status: 400,
          body: {
            error: {
              code: 'validation_failed',
              message: 'The request is invalid.',
              details: { issues: [{ path: '/body/password', message: 'must be at least 10 characters' }] },
            },
          },
        };
      return undefined;
    });
    renderUi(<SignInPage />);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText(/^Password/), 'short');
    await user.click(screen.getByRole('button', { name: 'Create owner account' }));
    expect(await screen.findByText('must be at least 10 characters')).toBeTruthy();
    // Under the password, not under the setup code nor for the whole form.
    expect(
      screen.getByText('must be at least 10 characters').closest('.mantine-PasswordInput-root'),
    ).toBeTruthy();
    expect(screen.getByLabelText(/Setup code/).getAttribute('aria-invalid')).not.toBe('true');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a failure that names no field for the whole form', async () => {
    respond(({ method, path }) => {
      if (path === '/api/v1/auth/status') return { status: 200, body: { needsFirstUser: true } };
      if (method === 'POST' && path === '/api/v1/auth/signup')
        return { status: 500, body: { error: { code: 'internal', message: 'Broken.' } } };
      return undefined;
    });
    renderUi(<SignInPage />);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Create owner account' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Broken.');
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
