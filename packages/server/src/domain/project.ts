/**
 * @module features/projects/project
 * Projects group everything a team manages; environments (development, staging, production, …)
 * give each flag its own rules per stage.
 */

export interface Project {
  id: string;
  key: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Environment {
  id: string;
  projectId: string;
  key: string;
  name: string;
  /** Display order in the UI and API lists. */
  position: number;
  /** Incremented by every change to this environment's SDK configuration. */
  configVersion: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** The environments every new project starts with, in display order. */
export const DEFAULT_ENVIRONMENTS = [
  { key: 'development', name: 'Development' },
  { key: 'staging', name: 'Staging' },
  { key: 'production', name: 'Production' },
] as const;
