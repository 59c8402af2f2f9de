/**
 * @module projects/environment-choice
 * The environment the UI works in, per project, remembered across visits (production first when
 * nothing was chosen, as that is what teams look at most).
 */
import { createContext, useCallback, useContext, useState } from 'react';

const STORAGE_PREFIX = 'cleave.environment.';

export function pickEnvironment(available: readonly string[], remembered: string | null): string | undefined {
  if (remembered && available.includes(remembered)) return remembered;
  return available.includes('production') ? 'production' : available[0];
}

export function useRememberedEnvironment(projectKey: string, available: readonly string[]) {
  const [chosen, setChosen] = useState<string | null>(() => readStorage(STORAGE_PREFIX + projectKey));
  const environment = pickEnvironment(available, chosen);
  const choose = useCallback(
    (key: string) => {
      setChosen(key);
      writeStorage(STORAGE_PREFIX + projectKey, key);
    },
    [projectKey],
  );
  return [environment, choose] as const;
}

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page only.
  }
}

export interface ProjectScope {
  projectKey: string;
  environments: readonly { key: string; name: string }[];
  environment: string;
  canWrite: boolean;
  canManage: boolean;
}

export const ProjectScopeContext = createContext<ProjectScope | null>(null);

/** The project, environment and permissions of the page being shown. */
export function useProjectScope(): ProjectScope {
  const scope = useContext(ProjectScopeContext);
  if (!scope) throw new Error('useProjectScope outside a project page');
  return scope;
}
