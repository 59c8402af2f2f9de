/**
 * @module Small builders for config payloads in tests.
 */
import type { ConfigPayload, PayloadFlag } from '../model/config-payload.js';

/** A payload with defaults for everything but what the test cares about. */
export function payloadOf(parts: Partial<ConfigPayload> = {}): ConfigPayload {
  return {
    schemaVersion: 1,
    hashVersion: 1,
    environment: 'production',
    version: 1,
    flags: [],
    segments: [],
    experiments: [],
    layers: [],
    holdouts: [],
    ...parts,
  };
}

/** A boolean flag with variants on/off, default off, enabled, with the given extras. */
export function booleanFlag(key: string, extra: Partial<PayloadFlag> = {}): PayloadFlag {
  return {
    key,
    type: 'boolean',
    variants: [
      { key: 'on', value: true },
      { key: 'off', value: false },
    ],
    defaultVariant: 'off',
    offVariant: 'off',
    enabled: true,
    ...extra,
  };
}
