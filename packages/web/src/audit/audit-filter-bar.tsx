/**
 * @module audit/audit-filter-bar
 * The filters both audit pages share: kind of object, who acted (one of the people the page knows,
 * any API key, the system) and a range of days. A page puts its own filters first (`children`).
 */
import { Group, Loader, Select, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { AUDIT_RESOURCE_TYPES, type AuditFilterInputs } from './audit-filters.js';

/** Someone who may have acted, named in the records and offered in "Changed by". */
export interface AuditPerson {
  userId: string;
  name: string;
  /** Tells apart people of the same name under "Changed by". */
  email?: string;
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
        data={AUDIT_RESOURCE_TYPES.map((type) => ({ value: type, label: type.replace('_', ' ') }))}
        value={inputs.resourceType}
        onChange={(resourceType) => onChange({ resourceType })}
        clearable
        w={170}
      />
      <Select
        label="Changed by"
        placeholder="Anyone"
        data={[
          ...people.map((person) => ({ value: `user:${person.userId}`, label: choiceLabel(person, people) })),
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

/** The person's name, with their email when someone else on the list has the same name. */
function choiceLabel(person: AuditPerson, people: readonly AuditPerson[]): string {
  const namesake = people.some((other) => other.userId !== person.userId && other.name === person.name);
  return namesake && person.email ? `${person.name} (${person.email})` : person.name;
}
