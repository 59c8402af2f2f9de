/**
 * @module test/project-page
 * Renders a project page the way the project layout does: inside a {@link ProjectScopeContext}
 * with the given permissions, at `path`, matched by `route` so the page reads its parameters.
 */
import { fireEvent, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { type ProjectScope, ProjectScopeContext } from '../projects/environment-choice.js';
import { renderUi } from './render.js';

export type Role = 'viewer' | 'editor' | 'admin';

export function projectScope(role: Role): ProjectScope {
  return {
    projectKey: 'shop',
    environments: [
      { key: 'staging', name: 'Staging' },
      { key: 'production', name: 'Production' },
    ],
    environment: 'production',
    canWrite: role !== 'viewer',
    canManage: role === 'admin',
  };
}

export function renderProjectPage(
  page: ReactNode,
  { role, path, route = path }: { role: Role; path: string; route?: string },
) {
  return renderUi(
    <ProjectScopeContext.Provider value={projectScope(role)}>
      <Routes>
        <Route path={route} element={page} />
      </Routes>
    </ProjectScopeContext.Provider>,
    { path },
  );
}

/** Sets a text field at once (typing key by key is slow and says nothing more in these tests). */
export function fill(label: string | RegExp, value: string): void {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}
