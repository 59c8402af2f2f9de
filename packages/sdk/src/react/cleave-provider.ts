/**
 * @module The React context holding the Cleave client and the evaluation context of a subtree.
 */
import type { EvaluationContext } from '@cleave/core/evaluation';
import { createContext, createElement, type ReactElement, type ReactNode, useContext, useMemo } from 'react';
import type { CleaveClient } from '../client.js';

export interface CleaveProviderProps {
  readonly client: CleaveClient;
  /** The unit's context for every hook below (merged over the client's own context). */
  readonly context?: EvaluationContext;
  readonly children?: ReactNode;
}

interface CleaveContextValue {
  readonly client: CleaveClient;
  readonly context: EvaluationContext | undefined;
}

const CleaveContext = createContext<CleaveContextValue | null>(null);

/**
 * Makes a client available to `useFlag` and `useVariant` below it. Create the client once (outside
 * the component, or in a ref/state), not on every render.
 *
 * @example
 * const client = createClient({ sdkKey, apiHost, bootstrap: window.__CLEAVE__ });
 * hydrateRoot(root, <CleaveProvider client={client} context={{ targetingKey: userId }}><App /></CleaveProvider>);
 */
export function CleaveProvider({ client, context, children }: CleaveProviderProps): ReactElement {
  const value = useMemo(() => ({ client, context }), [client, context]);
  return createElement(CleaveContext.Provider, { value }, children);
}

/** The client and context of the nearest {@link CleaveProvider}; `null` outside one. */
export function useCleaveContext(): CleaveContextValue | null {
  return useContext(CleaveContext);
}

/**
 * The client of the nearest {@link CleaveProvider}, e.g. to `track` events.
 *
 * @example
 * const client = useCleaveClient();
 * <button onClick={() => client?.track('signup-click')}>Sign up</button>
 */
export function useCleaveClient(): CleaveClient | undefined {
  return useContext(CleaveContext)?.client;
}
