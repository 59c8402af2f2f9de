/**
 * @module features/sdk-delivery/stream-hub
 * Fans config-change notices out to the open streams of each environment, and closes streams whose
 * access ended. One subscription to the notifier per process, however many clients are connected;
 * on shutdown every stream is ended so the server can close (clients reconnect to another node).
 *
 * A stream is authorised once, when it opens, so ending access must reach it explicitly: revocation
 * notices (a key revoked, an environment or project deleted, a member removed) arrive from every
 * node through the notifier and close the streams they cover at once. Notices travel over pub/sub,
 * which may drop one; as a backstop each distinct holder is re-checked against the database every
 * `recheckMs`, so a stream never outlives its access by more than that.
 */
import { type AccessHolder, type AccessRevocation, revokes } from '../../domain/access-revocation.js';
import type { ChangeNotifier, ConfigBump } from '../../ports/change-notifier.js';

type Listener = (bump: ConfigBump) => void;

interface OpenStream {
  holder: AccessHolder;
  listener: Listener;
  close: () => void;
  /** Notices may have been lost (the fan-out was down): re-read the environment's version. */
  resync: (() => void) | undefined;
}

export interface StreamHubOptions {
  /** Whether a holder's access still stands; asked for each distinct holder every `recheckMs`. */
  stillHolds?: (holder: AccessHolder) => Promise<boolean>;
  /** Default 5 s: the bound the README promises for revocations on other nodes. */
  recheckMs?: number;
  /** A failed re-check keeps the streams open (a database blip must not drop every client). */
  onRecheckError?: (error: unknown) => void;
  /** Told the number of open streams whenever it changes (the SSE connections gauge). */
  onOpenStreamsChanged?: (open: number) => void;
}

export class StreamHub {
  private readonly byEnvironment = new Map<string, Set<OpenStream>>();
  private readonly streams = new Set<OpenStream>();
  private readonly unsubscribe: Array<() => void>;
  private readonly recheckTimer: NodeJS.Timeout | undefined;
  private rechecking = false;

  constructor(
    notifier: Pick<ChangeNotifier, 'onConfigChanged' | 'onAccessRevoked' | 'onResync'>,
    private readonly options: StreamHubOptions = {},
  ) {
    this.unsubscribe = [
      notifier.onConfigChanged((bump) => {
        for (const stream of this.byEnvironment.get(bump.environmentId) ?? []) stream.listener(bump);
      }),
      notifier.onAccessRevoked((revocation) => this.revoke(revocation)),
      notifier.onResync(() => {
        for (const stream of [...this.streams]) stream.resync?.();
      }),
    ];
    if (options.stillHolds) {
      this.recheckTimer = setInterval(() => void this.recheck(), options.recheckMs ?? 5_000);
      this.recheckTimer.unref();
    }
  }

  /** Registers a stream of one environment; returns what unregisters it. */
  subscribe(holder: AccessHolder, listener: Listener, close: () => void, resync?: () => void): () => void {
    const stream: OpenStream = { holder, listener, close, resync };
    let set = this.byEnvironment.get(holder.environmentId);
    if (!set) {
      set = new Set();
      this.byEnvironment.set(holder.environmentId, set);
    }
    set.add(stream);
    this.streams.add(stream);
    this.options.onOpenStreamsChanged?.(this.streams.size);
    return () => {
      set.delete(stream);
      if (set.size === 0) this.byEnvironment.delete(holder.environmentId);
      if (this.streams.delete(stream)) this.options.onOpenStreamsChanged?.(this.streams.size);
    };
  }

  get openStreams(): number {
    return this.streams.size;
  }

  closeAll(): void {
    for (const stream of [...this.streams]) stream.close();
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    if (this.recheckTimer) clearInterval(this.recheckTimer);
  }

  private revoke(revocation: AccessRevocation): void {
    for (const stream of [...this.streams]) if (revokes(revocation, stream.holder)) stream.close();
  }

  /** One question per distinct holder, however many streams it has open (thousands share a key). */
  private async recheck(): Promise<void> {
    const stillHolds = this.options.stillHolds;
    if (this.rechecking || !stillHolds || this.streams.size === 0) return;
    this.rechecking = true;
    try {
      const holders = new Map<string, { holder: AccessHolder; streams: OpenStream[] }>();
      for (const stream of this.streams) {
        const { projectId, environmentId, keyId, userId } = stream.holder;
        const identity = JSON.stringify([projectId, environmentId, keyId ?? null, userId ?? null]);
        const entry = holders.get(identity) ?? { holder: stream.holder, streams: [] };
        entry.streams.push(stream);
        holders.set(identity, entry);
      }
      for (const { holder, streams } of holders.values()) {
        try {
          if (!(await stillHolds(holder))) for (const stream of streams) stream.close();
        } catch (error) {
          this.options.onRecheckError?.(error);
        }
      }
    } finally {
      this.rechecking = false;
    }
  }
}
