/**
 * @module analytics/usage-actions
 * Which API calls are the key actions the UI reports (a flag saved, an experiment started or
 * concluded), read off the request the UI made: every form that does one goes through the API
 * client, so no page has to remember to report it.
 */
export interface UsageAction {
  event: 'flag-saved' | 'experiment-started' | 'experiment-concluded';
  properties: Record<string, string>;
}

const FLAG_WRITE = /^\/api\/v1\/projects\/([^/]+)\/flags(?:\/([^/]+))?(?:\/.*)?$/;
const EXPERIMENT_ACTION = /^\/api\/v1\/projects\/([^/]+)\/experiments\/([^/]+)\/(start|stop)$/;

/** The key action a successful request was, if it was one. */
export function usageActionOf(method: string, pathname: string): UsageAction | undefined {
  const verb = method.toUpperCase();
  if (verb === 'GET' || verb === 'HEAD' || verb === 'OPTIONS') return undefined;
  const experiment = EXPERIMENT_ACTION.exec(pathname);
  if (experiment && verb === 'POST') {
    const [, project = '', key = '', action] = experiment;
    return {
      event: action === 'start' ? 'experiment-started' : 'experiment-concluded',
      properties: { project: decodeURIComponent(project), experiment: decodeURIComponent(key) },
    };
  }
  const flag = FLAG_WRITE.exec(pathname);
  // Evaluating a flag ("test this flag") reads nothing into it: not a save.
  if (flag && !pathname.endsWith('/evaluate')) {
    const [, project = '', key] = flag;
    return {
      event: 'flag-saved',
      properties: {
        project: decodeURIComponent(project),
        ...(key !== undefined && { flag: decodeURIComponent(key) }),
      },
    };
  }
  return undefined;
}
