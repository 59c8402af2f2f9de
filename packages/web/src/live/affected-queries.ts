/**
 * @module live/affected-queries
 * Which cached queries a project change makes stale. Query keys start with
 * `['projects', projectKey, <section>]`, so invalidating a prefix refreshes every list, page and
 * result under it; what has no section of its own refreshes the whole project.
 */
export interface ProjectChange {
  resourceType: string;
  resourceKey: string;
  action: string;
}

export function affectedQueries(projectKey: string, change: ProjectChange): (readonly string[])[] {
  const project = ['projects', projectKey] as const;
  switch (change.resourceType) {
    case 'flag':
      return [[...project, 'flags']];
    // Experiments' results live under their experiment: a started or stopped one refreshes them too.
    case 'experiment':
      return [[...project, 'experiments']];
    // New results also change the experiments list's units and verdict.
    case 'results':
      return [
        [...project, 'experiments', change.resourceKey, 'results'],
        [...project, 'experiments', 'summaries'],
      ];
    case 'metric':
      return [[...project, 'metrics']];
    case 'member':
      return [[...project, 'members']];
    // A renamed project shows in the project switcher too.
    case 'project':
      return [['projects']];
    default:
      return [project];
  }
}
