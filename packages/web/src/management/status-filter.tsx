/**
 * @module management/status-filter
 * The active/archived switch of the definition lists (segments, layers, holdouts, metrics), which
 * the API filters by `status` (its default hides archived ones).
 */
import { SegmentedControl } from '@mantine/core';

export type ListStatus = 'active' | 'archived';

export function StatusFilter({ value, onChange }: { value: ListStatus; onChange(value: ListStatus): void }) {
  return (
    <SegmentedControl
      aria-label="Status"
      value={value}
      onChange={(next) => onChange(next as ListStatus)}
      data={[
        { value: 'active', label: 'Active' },
        { value: 'archived', label: 'Archived' },
      ]}
    />
  );
}

/** The API's `status` filter for the choice: everything live, or the archived ones. */
export function statusQuery(status: ListStatus): string | undefined {
  return status === 'archived' ? 'archived' : undefined;
}
