/**
 * @module Tracked event names, checked as the server checks them (core's `EventNameSchema`:
 * 1–200 characters, printable, not starting with a space) without bundling its schema library.
 */

const PRINTABLE_NOT_STARTING_WITH_SPACE = /^[^\s\p{Cc}][^\p{Cc}]*$/u;

/** @example isEventName('purchase'); // true — isEventName(' x'); // false */
export function isEventName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= 1 &&
    value.length <= 200 &&
    PRINTABLE_NOT_STARTING_WITH_SPACE.test(value)
  );
}
