/**
 * @module audit/use-audit-listing
 * An audit page's state: its filter inputs and the pages walked under them. Any change of filter
 * goes back to the newest page, as the cursors walked belong to the old filters.
 */
import { useState } from 'react';
import { type CursorPages, useCursorPages } from '../layout/cursor-pager.js';

export interface AuditListing<Inputs> {
  inputs: Inputs;
  pages: CursorPages;
  /** Changes some filters, keeping the others. */
  change(update: Partial<Inputs>): void;
  /** Replaces every filter at once. */
  replace(inputs: Inputs): void;
}

export function useAuditListing<Inputs extends object>(initial: Inputs): AuditListing<Inputs> {
  const [inputs, setInputs] = useState(initial);
  const pages = useCursorPages();
  return {
    inputs,
    pages,
    change: (update) => {
      setInputs((current) => ({ ...current, ...update }));
      pages.reset();
    },
    replace: (next) => {
      setInputs(next);
      pages.reset();
    },
  };
}
