/**
 * @module Event types: an exposure says which variation a unit saw; a tracked event says what the
 * unit then did. Analysis joins the two per unit.
 */
export const EVENT_TYPES = ['exposure', 'track'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
