// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderUi, respond } from '../test/render.js';
import { sessionAnswer } from '../test/session.js';
import { HomePage } from './home-page.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** An instance without projects, signed in as someone who is (or is not) an instance administrator. */
function emptyInstance(isInstanceAdmin: boolean) {
  respond(({ method, path }) => {
    if (method !== 'GET') return undefined;
    if (path === '/api/v1/projects?limit=100') return { status: 200, body: { items: [], nextCursor: null } };
    if (path === '/api/v1/auth/session') return sessionAnswer(isInstanceAdmin);
    return undefined;
  });
}

describe('the home page of an instance without projects', () => {
  it("leads an instance administrator to the instance's audit log, where deleted projects' trails are", async () => {
    emptyInstance(true);
    renderUi(<HomePage />);
    const link = await screen.findByRole('link', { name: 'Instance audit log' });
    expect(link.getAttribute('href')).toBe('/instance/audit');
  });

  it('offers it to no one else', async () => {
    emptyInstance(false);
    renderUi(<HomePage />);
    await screen.findByText(/You are not a member of any project/);
    expect(screen.queryByRole('link', { name: 'Instance audit log' })).toBeNull();
  });
});
