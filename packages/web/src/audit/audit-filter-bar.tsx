/**
 * @module audit/audit-filter-bar
 * The filters both audit pages share: kind of object, who acted (one of the people the page knows,
 * any API key, the system) and a range of days. A page puts its own filters first (`children`).
 */
import { Group, Loader, Select, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AuditFilterInputs } from './audit-filters.js';

const RESOURCE_TYPES = [
  'project',
  'environment',
  'member',
  'api_key',
  'flag',
  'experiment',
  'segment',
  'layer',
  'holdout',
  'metric',
  'webhook',
];

/** Someone who may have acted, named in the records and offered in "Changed by". */
export interface AuditPerson {
  userId: string;
  name: string;
}

export interface AuditFilterBarProps {
  inputs: AuditFilterInputs;
  onChange(update: Partial<AuditFilterInputs>): void;
  people: readonly AuditPerson[];
  /** Whether a page is being fetched (shown beside the filters). */
  loading: boolean;
  children?: ReactNode;
}

export function AuditFilterBar({ inputs, onChange, people, loading, children }: AuditFilterBarProps) {
  return (
    <Group mb="md" align="end">
      {children}
      <Select
        label="Object"
        placeholder="Any kind"
        data={RESOURCE_TYPES.map((type) => ({ value: type, label: type.replace('_', ' ') }))}
        value={inputs.resourceType}
        onChange={(resourceType) => onChange({ resourceType })}
        clearable
        w={170}
      />
      <Select
        label="Changed by"
        placeholder="Anyone"
        data={[
          ...people.map((person) => ({ value: `user:${person.userId}`, label: person.name })),
          { value: 'api_key', label: 'Any API key' },
          { value: 'system', label: 'The system' },
        ]}
        value={inputs.actor}
        onChange={(actor) => onChange({ actor })}
        clearable
        searchable
        w={200}
      />
      <TextInput
        label="From day"
        type="date"
        value={inputs.from}
        onChange={(event) => onChange({ from: event.currentTarget.value })}
        w={160}
      />
      <TextInput
        label="To day (included)"
        type="date"
        value={inputs.to}
        onChange={(event) => onChange({ to: event.currentTarget.value })}
        w={160}
      />
      {loading && <Loader size="sm" role="status" aria-label="Loading audit records" />}
    </Group>
  );
}
