/**
 * @module The Cleave client: the stateful shell around core's pure evaluation.
 *
 * It keeps the configuration current (config-source/), evaluates locally and synchronously with
 * core, records exposures and tracked events (events/), and reports every failure as an `error`
 * event. No method throws and no promise it returns rejects: a failure yields the last known
 * configuration or the caller's default.
 */
import {
  type CompiledConfig,
  type ConfigPayload,
  type EvaluateOptions,
  type EvaluationContext,
  type EvaluationResult,
  type ExperimentAssignment,
  // The SDK never asks for a trace: this leaves the trace builders out of its bundle.
  evaluateWithoutTrace as evaluate,
  type FlagType,
  type FlagValue,
  type JsonValue,
  type StickyBucketStore,
} from '@cleave/core/evaluation';
import { CleaveError, failure } from './cleave-error.js';
import { ClientEmitter, type Unsubscribe } from './client-emitter.js';
import { type CleaveClientOptions, type ResolvedOptions, resolveOptions } from './client-options.js';
import type {
  CleaveClientEvents,
  ClientStatus,
  ReadyEvent,
  ReadyStatus,
  TrackOptions,
} from './client-types.js';
import { ConfigSynchronizer, type SyncMode } from './config-source/config-synchronizer.js';
import { ConfigStore, type PayloadSource } from './config-store.js';
import {
  defaultDetails,
  type EvaluationDetails,
  mergeContext,
  NO_CONTEXT,
  unitIdOf,
} from './evaluation-details.js';
import { EventRecorder } from './events/event-recorder.js';
import { loadRegexEngine, needsRegexEngine } from './regex-engine.js';
import { startTimer, type Timer } from './timers.js';

/**
 * A Cleave client. Create it with {@link createClient}.
 *
 * @example
 * const client = createClient({ sdkKey: process.env.CLEAVE_SDK_KEY, apiHost: 'https://cleave.example.com' });
 * await client.ready();
 * if (client.getBooleanValue('new-checkout', false, { targetingKey: user.id })) renderNewCheckout();
 */
export class CleaveClient {
  readonly #options: ResolvedOptions;
  readonly #store = new ConfigStore();
  readonly #emitter: ClientEmitter<CleaveClientEvents>;
  readonly #sync: ConfigSynchronizer | undefined;
  readonly #recorder: EventRecorder | undefined;
  readonly #ready: Promise<ReadyStatus>;
  #resolveReady: ((status: ReadyStatus) => void) | undefined;
  #readyTimer: Timer | undefined;
  #status: ClientStatus = 'not_ready';
  #readyEvent: ReadyEvent | undefined;
  #context: EvaluationContext;
  /** Evaluation options by expected type, made once rather than per call. */
  readonly #evaluateOptions: Readonly<Record<FlagType, EvaluateOptions>>;
  #closing: Promise<void> | undefined;
  #stopWatchingPage: (() => void) | undefined;

  /** Prefer {@link createClient}. */
  constructor(options: CleaveClientOptions) {
    this.#emitter = new ClientEmitter<CleaveClientEvents>((error, event) =>
      this.#listenerFailed(error, event),
    );
    this.#ready = new Promise((resolve) => {
      this.#resolveReady = resolve;
    });
    const resolved = resolveOptions(options);
    this.#options = resolved;
    this.#context = resolved.context;
    this.#evaluateOptions = evaluateOptionsByType(resolved.stickyBucketStore);
    if (resolved.problems.length > 0) {
      // Reported once a listener can exist; the client works offline meanwhile.
      queueMicrotask(() =>
        this.#report(new CleaveError('invalid_options', `working offline: ${resolved.problems.join('; ')}`)),
      );
    }
    const bootstrapping =
      resolved.bootstrap === undefined ? undefined : this.#applyBootstrap(resolved.bootstrap);
    if (!resolved.online) {
      const settle = () => this.#settleReady(this.#store.payload === undefined ? 'failed' : 'ready');
      if (bootstrapping === undefined) settle();
      else void bootstrapping.then(settle);
      return;
    }
    this.#readyTimer = startTimer(() => this.#settleReady('timeout'), resolved.readyTimeoutMs);
    if (resolved.events.enabled) {
      this.#recorder = new EventRecorder({
        ...resolved,
        onError: (error) => this.#report(error),
        // Events got through while the config channel still looks down: look again at once
        // rather than at the next poll or reconnect.
        onRecovered: () => {
          if (this.#status === 'stale') void this.#sync?.refresh();
        },
      });
    }
    // The resolved options carry every setting the synchronizer reads, under the same names.
    this.#sync = new ConfigSynchronizer({
      ...resolved,
      currentVersion: () => this.#store.version,
      applyPayload: (raw, source) => this.#applyPayload(raw, source),
      onContact: () => {
        if (this.#status === 'stale') this.#setStatus('ready');
        // The server is reachable: events waiting out a backoff go now, not when it ends.
        this.#recorder?.resume();
      },
      onError: (error) => this.#onSourceError(error),
    });
    this.#sync.start();
    if (this.#recorder !== undefined) this.#flushWhenPageHides();
  }

  /**
   * Resolves once a configuration is in use, or with why not yet. Never rejects; always the
   * same promise. Getters work before it resolves (they serve defaults).
   *
   * @example
   * const status = await client.ready(); // 'ready' | 'timeout' | 'failed' | 'closed'
   */
  ready(): Promise<ReadyStatus> {
    return this.#ready;
  }

  get status(): ClientStatus {
    return this.#status;
  }

  /** How the configuration is kept current right now (diagnostics). */
  get syncMode(): SyncMode {
    return this.#sync?.mode ?? 'idle';
  }

  /**
   * Listens to `ready`, `change`, `error` or `status`; returns a function that stops listening.
   *
   * @example
   * const stop = client.on('change', ({ flagKeys }) => rerender(flagKeys));
   * client.on('error', (error) => logger.warn({ code: error.code }, error.message));
   */
  on<E extends keyof CleaveClientEvents>(
    event: E,
    listener: (payload: CleaveClientEvents[E]) => void,
  ): Unsubscribe {
    const unsubscribe = this.#emitter.on(event, listener);
    const payload = this.#readyEvent;
    if (event === 'ready' && payload !== undefined) {
      queueMicrotask(() => {
        try {
          (listener as (payload: ReadyEvent) => void)(payload);
        } catch (error) {
          this.#listenerFailed(error, event);
        }
      });
    }
    return unsubscribe;
  }

  /**
   * Replaces the client-level context (merged under every call's context): in a browser, the
   * signed-in user; on a server, facts shared by every request.
   *
   * @example
   * client.setContext({ targetingKey: user.id, plan: user.plan });
   * client.getBooleanValue('new-checkout', false); // evaluated for that user
   */
  setContext(context: EvaluationContext): void {
    try {
      const copy = mergeContext({}, context);
      // An empty one becomes the shared frozen empty context, which evaluations recognise at once.
      this.#context = Reflect.ownKeys(copy).length === 0 ? NO_CONTEXT : copy;
    } catch (error) {
      this.#report(failure('invalid_options', 'setContext', error));
    }
  }

  /** The client-level context. */
  getContext(): EvaluationContext {
    return this.#context;
  }

  /**
   * The payload in use, as received: embed it in a server-rendered page and pass it to the
   * browser's client as `bootstrap`, so both evaluate the same configuration.
   *
   * @example
   * const html = `<script>window.__CLEAVE__=${JSON.stringify(client.getPayload()).replace(/</g, '\\u003c')}</script>`;
   */
  getPayload(): ConfigPayload | undefined {
    return this.#store.payload;
  }

  /**
   * A boolean flag's value for a unit; `defaultValue` when it cannot be evaluated.
   *
   * @example
   * client.getBooleanValue('new-checkout', false, { targetingKey: 'user-42', country: 'NL' });
   */
  getBooleanValue(flagKey: string, defaultValue: boolean, context?: EvaluationContext): boolean {
    return this.#details(flagKey, 'boolean', defaultValue, context).value;
  }

  /** @example client.getStringValue('button-color', 'blue', { targetingKey: 'user-42' }); */
  getStringValue(flagKey: string, defaultValue: string, context?: EvaluationContext): string {
    return this.#details(flagKey, 'string', defaultValue, context).value;
  }

  /** @example client.getNumberValue('max-items', 10, { targetingKey: 'user-42' }); */
  getNumberValue(flagKey: string, defaultValue: number, context?: EvaluationContext): number {
    return this.#details(flagKey, 'number', defaultValue, context).value;
  }

  /**
   * A JSON flag's value. `T` is trusted, not checked: validate it if the shape matters.
   *
   * @example
   * client.getJsonValue<{ limit: number }>('checkout-config', { limit: 3 }, { targetingKey: 'user-42' });
   */
  getJsonValue<T extends JsonValue>(flagKey: string, defaultValue: T, context?: EvaluationContext): T {
    return this.#details(flagKey, 'json', defaultValue, context).value;
  }

  /**
   * The value with how it was decided: variant, reason, error code, metadata and, when an
   * experiment decided, the assignment (logged as an exposure).
   *
   * @example
   * const { value, reason, errorCode } = client.getBooleanDetails('new-checkout', false, context);
   */
  getBooleanDetails(
    flagKey: string,
    defaultValue: boolean,
    context?: EvaluationContext,
  ): EvaluationDetails<boolean> {
    return this.#details(flagKey, 'boolean', defaultValue, context);
  }

  /** @example client.getStringDetails('button-color', 'blue', context).variant; */
  getStringDetails(
    flagKey: string,
    defaultValue: string,
    context?: EvaluationContext,
  ): EvaluationDetails<string> {
    return this.#details(flagKey, 'string', defaultValue, context);
  }

  /** @example client.getNumberDetails('max-items', 10, context).reason; */
  getNumberDetails(
    flagKey: string,
    defaultValue: number,
    context?: EvaluationContext,
  ): EvaluationDetails<number> {
    return this.#details(flagKey, 'number', defaultValue, context);
  }

  /** @example client.getJsonDetails('checkout-config', {}, context).flagMetadata; */
  getJsonDetails<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context?: EvaluationContext,
  ): EvaluationDetails<T> {
    return this.#details(flagKey, 'json', defaultValue, context);
  }

  /**
   * The variation of `experimentKey` the unit is assigned, through the flag that runs the
   * experiment (its targeting applies); `undefined` when the unit is not in the experiment (not
   * targeted, outside coverage, overridden, no unit id, unknown experiment). Logs an exposure.
   *
   * @example
   * const variation = client.getVariant('checkout-test', { targetingKey: 'user-42' }); // 'treatment'
   */
  getVariant(experimentKey: string, context?: EvaluationContext): string | undefined {
    try {
      const compiled = this.#store.compiled;
      if (compiled === undefined) return undefined;
      const merged = mergeContext(this.#context, context);
      for (const flagKey of this.#store.flagsOfExperiment(experimentKey)) {
        const result = evaluate(compiled, flagKey, merged, {
          stickyBucketStore: this.#options.stickyBucketStore,
        });
        const assignment = result.assignment;
        if (assignment !== undefined && assignment.experimentKey === experimentKey) {
          this.#recordExposure(assignment);
          return assignment.variationKey;
        }
      }
      return undefined;
    } catch (error) {
      this.#report(failure('evaluation_failed', 'getVariant', error));
      return undefined;
    }
  }

  /**
   * Records an event for the unit of the (merged) context. Invalid input is dropped and
   * reported as an `invalid_event` error.
   *
   * @example
   * client.track('purchase', { value: 42.5, properties: { currency: 'EUR' }, context: { targetingKey: 'user-42' } });
   */
  track(eventName: string, options?: TrackOptions): void {
    try {
      if (this.#recorder === undefined) return;
      const input = typeof options === 'object' && options !== null ? options : {};
      const error = this.#recorder.track({
        eventName,
        unitId: unitIdOf(mergeContext(this.#context, input.context)),
        value: input.value,
        properties: input.properties,
      });
      if (error !== undefined) this.#report(error);
    } catch (error) {
      this.#report(failure('invalid_event', 'track', error));
    }
  }

  /**
   * Sends every queued event now. Resolves when each was delivered or dropped (reported);
   * never rejects.
   *
   * @example
   * await client.flush(); // e.g. at the end of a serverless invocation
   */
  async flush(): Promise<void> {
    try {
      await this.#recorder?.flush();
    } catch (error) {
      this.#report(failure('events_send_failed', 'flush', error));
    }
  }

  /**
   * Stops streaming, polling and timers, and flushes the events (waiting at most
   * `events.closeTimeoutMs`). Idempotent: every call returns the same promise. Getters keep
   * serving the last configuration; `track` drops events afterwards.
   *
   * @example
   * process.on('SIGTERM', () => client.close().then(() => process.exit(0)));
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#sync?.stop();
      this.#stopWatchingPage?.();
      this.#readyTimer?.cancel();
      this.#settleReady('closed');
      this.#setStatus('closed');
      try {
        await this.#recorder?.close();
      } catch (error) {
        this.#report(failure('events_send_failed', 'close', error));
      }
    })();
    return this.#closing;
  }

  /**
   * Every getter's path, kept small and its rare branches out of line: V8 inlines it, and core's
   * `evaluate` into it, at the application's call sites only while their bytecode fits its
   * inlining budget (bench/evaluation: the SDK's cost per evaluation over core's).
   */
  #details<T extends FlagValue>(
    flagKey: string,
    expectedType: FlagType,
    defaultValue: T,
    context: EvaluationContext | undefined,
  ): EvaluationDetails<T> {
    const compiled = this.#store.compiled;
    let merged: EvaluationContext;
    // Only this part can throw: it reads the caller's objects (a hostile context's getters or
    // proxy traps). `evaluate` never throws (core's contract) and an exposure failure is caught
    // where it is recorded; a `try` around them too costs every call (measured, bench/evaluation).
    try {
      if (compiled === undefined) {
        return defaultDetails(flagKey, defaultValue, 'PROVIDER_NOT_READY', 'no configuration yet');
      }
      merged = mergeContext(this.#context, context);
    } catch (error) {
      return this.#failedDetails(flagKey, defaultValue, error);
    }
    let result = evaluate(compiled, flagKey, merged, this.#evaluateOptions[expectedType]);
    // Only a result no variant could serve (unknown flag, type mismatch…) carries the caller's
    // default value; those are rare, and redone with it, so other calls need no options object.
    if (result.variant === undefined) {
      result = this.#evaluateWithDefault(compiled, flagKey, merged, expectedType, defaultValue);
    }
    if (result.assignment !== undefined) this.#recordExposure(result.assignment);
    // Core serves a value of `expectedType` (validated payload) or the caller's default.
    return result as EvaluationDetails<T>;
  }

  #evaluateWithDefault(
    compiled: CompiledConfig,
    flagKey: string,
    merged: EvaluationContext,
    expectedType: FlagType,
    defaultValue: FlagValue,
  ): EvaluationResult {
    return evaluate(compiled, flagKey, merged, {
      expectedType,
      defaultValue,
      stickyBucketStore: this.#options.stickyBucketStore,
    });
  }

  #failedDetails<T extends FlagValue>(
    flagKey: string,
    defaultValue: T,
    error: unknown,
  ): EvaluationDetails<T> {
    const failed = failure('evaluation_failed', `evaluation of "${String(flagKey)}"`, error);
    this.#report(failed);
    return defaultDetails(flagKey, defaultValue, 'GENERAL', failed.message);
  }

  /**
   * In browsers, sends waiting events when the page is hidden: the last moment a page is
   * reliably alive (mobile browsers may discard it afterwards without an unload event).
   */
  #flushWhenPageHides(): void {
    const page = (globalThis as { document?: Document }).document;
    if (page === undefined || typeof page.addEventListener !== 'function') return;
    const onVisibilityChange = () => {
      if (page.visibilityState === 'hidden') void this.flush();
    };
    page.addEventListener('visibilitychange', onVisibilityChange);
    this.#stopWatchingPage = () => page.removeEventListener('visibilitychange', onVisibilityChange);
  }

  #recordExposure(assignment: ExperimentAssignment): void {
    try {
      this.#recorder?.recordExposure(assignment);
    } catch (error) {
      this.#report(failure('evaluation_failed', 'recording an exposure', error));
    }
  }

  /**
   * Applies the bootstrap at once, or, when it has `matches` conditions and the regex engine is
   * not loaded yet, once it is (then the returned promise settles).
   */
  #applyBootstrap(raw: unknown): Promise<unknown> | undefined {
    if (needsRegexEngine(raw)) return Promise.resolve(this.#applyPayload(raw, 'bootstrap'));
    // Errors of the bootstrap are reported on the next tick, once listeners are attached.
    const result = this.#store.apply(raw, 'bootstrap');
    if (result.kind === 'invalid') queueMicrotask(() => this.#report(result.error));
    else this.#becomeReady({ version: this.#store.version ?? 0, source: 'bootstrap' });
    return undefined;
  }

  /** A promise when `raw` waits for the regex engine, which loads once for the whole page. */
  #applyPayload(raw: unknown, source: PayloadSource): boolean | Promise<boolean> {
    if (this.#status === 'closed') return false;
    if (needsRegexEngine(raw)) {
      return loadRegexEngine().then(
        () => this.#applyPayload(raw, source),
        (error: unknown) => {
          this.#onSourceError(
            failure(
              'config_fetch_failed',
              `loading the regex engine for the ${source} payload's \`matches\``,
              error,
            ),
          );
          return false;
        },
      );
    }
    const result = this.#store.apply(raw, source);
    switch (result.kind) {
      case 'invalid':
        this.#report(result.error);
        return false;
      case 'outdated':
        return false;
      case 'current':
        return true;
      case 'applied':
        if (result.change.previousVersion === undefined && this.#status === 'not_ready') {
          this.#becomeReady({ version: result.change.version, source });
        }
        this.#emitter.emit('change', result.change);
        return true;
    }
  }

  #becomeReady(event: ReadyEvent): void {
    this.#readyEvent = event;
    this.#setStatus('ready');
    this.#readyTimer?.cancel();
    this.#settleReady('ready');
    this.#emitter.emit('ready', event);
  }

  #settleReady(status: ReadyStatus): void {
    const resolve = this.#resolveReady;
    this.#resolveReady = undefined;
    resolve?.(status);
  }

  #setStatus(status: ClientStatus): void {
    if (this.#status === status || this.#status === 'closed') return;
    this.#status = status;
    this.#emitter.emit('status', status);
  }

  /** A failure to reach the server or to use what it sent. */
  #onSourceError(error: CleaveError): void {
    // Every such failure but a payload that arrived and was unusable: the server is out of reach
    // (`config_fetch_failed`, `stream_failed`, `stream_timeout`) or refuses the key.
    if (error.code !== 'invalid_payload' && this.#status === 'ready') this.#setStatus('stale');
    // A rejected key will not fix itself: waiting for the timeout would only delay the app.
    if (error.code === 'unauthorized' && this.#status === 'not_ready') this.#settleReady('failed');
    this.#report(error);
  }

  #listenerFailed(error: unknown, event: keyof CleaveClientEvents): void {
    this.#report(failure('listener_failed', `a "${event}" listener`, error));
  }

  #report(error: CleaveError): void {
    this.#emitter.emit('error', error);
  }
}

/**
 * The options of every getter's evaluation, one object per type made up front: a lookup by type
 * is then one load, which keeps the getters' path small enough for V8 to inline.
 */
function evaluateOptionsByType(
  stickyBucketStore: StickyBucketStore | undefined,
): Readonly<Record<FlagType, EvaluateOptions>> {
  return {
    boolean: { expectedType: 'boolean', stickyBucketStore },
    string: { expectedType: 'string', stickyBucketStore },
    number: { expectedType: 'number', stickyBucketStore },
    json: { expectedType: 'json', stickyBucketStore },
  };
}

/**
 * Creates a client and starts fetching the configuration; returns at once.
 *
 * @example
 * // Node
 * const client = createClient({ sdkKey: process.env.CLEAVE_SDK_KEY, apiHost: 'https://cleave.example.com' });
 * await client.ready();
 * client.getStringValue('button-color', 'blue', { targetingKey: 'user-42' });
 *
 * // Browser, hydrating a server-rendered page without flicker
 * const client = createClient({ sdkKey, apiHost, bootstrap: window.__CLEAVE__, context: { targetingKey: userId } });
 */
export function createClient(options: CleaveClientOptions): CleaveClient {
  return new CleaveClient(options);
}
