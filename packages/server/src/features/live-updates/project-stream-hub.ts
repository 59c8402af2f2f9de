/**
 * @module features/live-updates/project-stream-hub
 * Fans project changes out to the UI's open live-update streams, one subscription to the notifier
 * per process however many pages are open. A stream is authorised when it opens; revocations (a
 * member removed, a key revoked, the project deleted) close the streams they cover at once, on
 * every node, as for SDK streams.
 */
import { type AccessHolder, revokes } from '../../domain/access-revocation.js';
import type { ChangeNotifier, ProjectChange } from '../../ports/change-notifier.js';

export interface ProjectStreamSubscriber {
  /** Who opened it, matched against revocations (no environment: these streams span the project). */
  holder: Omit<AccessHolder, 'environmentId'>;
  onChange(change: ProjectChange): void;
  /** Notices may have been lost (the fan-out was interrupted): the client must re-read. */
  onResync(): void;
  close(): void;
}

export class ProjectStreamHub {
  private readonly byProject = new Map<string, Set<ProjectStreamSubscriber>>();
  private readonly unsubscribe: Array<() => void>;

  constructor(notifier: Pick<ChangeNotifier, 'onProjectChanged' | 'onAccessRevoked' | 'onResync'>) {
    this.unsubscribe = [
      notifier.onProjectChanged((change) => {
        for (const stream of this.byProject.get(change.projectId) ?? []) stream.onChange(change);
      }),
      notifier.onAccessRevoked((revocation) => {
        for (const stream of this.all()) {
          // No environment id can match: an environment's deletion leaves the project's stream open.
          if (revokes(revocation, { ...stream.holder, environmentId: '' })) stream.close();
        }
      }),
      notifier.onResync(() => {
        for (const stream of this.all()) stream.onResync();
      }),
    ];
  }

  subscribe(stream: ProjectStreamSubscriber): () => void {
    const { projectId } = stream.holder;
    let set = this.byProject.get(projectId);
    if (!set) {
      set = new Set();
      this.byProject.set(projectId, set);
    }
    set.add(stream);
    return () => {
      set.delete(stream);
      if (set.size === 0) this.byProject.delete(projectId);
    };
  }

  get openStreams(): number {
    let count = 0;
    for (const set of this.byProject.values()) count += set.size;
    return count;
  }

  closeAll(): void {
    for (const stream of this.all()) stream.close();
    for (const unsubscribe of this.unsubscribe) unsubscribe();
  }

  private all(): ProjectStreamSubscriber[] {
    return [...this.byProject.values()].flatMap((set) => [...set]);
  }
}
