/**
 * @module audit/use-audit-listing
 * An audit page's state: its filter inputs, kept in the address's search params (see
 * audit-search-params.ts), and the pages walked under them. Each filter change is a new history
 * entry, so Back undoes it. Any change of filter goes back to the newest page, as the cursors
 * walked belong to the old filters; the page itself stays out of the address, so Back steps
 * through filters rather than pages, and a shared link opens on the newest records.
 */
import { useSearchParams } from 'react-router';
import { type CursorPages, useCursorPages } from '../layout/cursor-pager.js';
import type { AuditFilterInputs } from './audit-filters.js';
import { withAuditFilterInputs } from './audit-search-params.js';

export interface AuditListing<Inputs> {
  inputs: Inputs;
  pages: CursorPages;
  /** Changes some filters, keeping the others. */
  change(update: Partial<Inputs>): void;
  /** Replaces every filter at once. */
  replace(inputs: Inputs): void;
}

export function useAuditListing<Inputs extends AuditFilterInputs>(
  read: (params: URLSearchParams) => Inputs,
): AuditListing<Inputs> {
  const [params, setParams] = useSearchParams();
  const inputs = read(params);
  const current = withAuditFilterInputs(params, inputs).toString();
  const pages = useCursorPages(current);
  const show = (next: Inputs) => {
    const address = withAuditFilterInputs(params, next);
    // Choosing the filter already shown only goes back to the newest page: no history entry.
    if (address.toString() === current) pages.reset();
    else setParams(address);
  };
  return {
    inputs,
    pages,
    change: (update) => show({ ...inputs, ...update }),
    replace: show,
  };
}
