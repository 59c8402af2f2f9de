/**
 * @module flags/flags-page
 * The flags of a project: search, status and tag filters, and an on/off switch per environment;
 * or the stale flags of the chosen environment, for clean-up. Viewers see the switches' state but
 * cannot flip them.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  SegmentedControl,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { useProjectScope } from '../projects/environment-choice.js';
import { type Flag, type FlagFilters, useFlags, useToggleFlag } from './queries.js';
import { StaleFlagsPanel } from './stale-flags-panel.js';

export function FlagsPage() {
  const { projectKey, environment, environments, canWrite } = useProjectScope();
  const [search, setSearch] = useState('');
  const [tag, setTag] = useState('');
  const [view, setView] = useState<FlagFilters['status'] | 'stale'>('active');
  const status = view === 'stale' ? 'active' : view;
  const [debouncedSearch] = useDebouncedValue(search, 200);
  const [debouncedTag] = useDebouncedValue(tag, 200);
  const flags = useFlags(projectKey, { search: debouncedSearch, tag: debouncedTag, status });
  const toggle = useToggleFlag(projectKey);

  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>Flags</Title>
        {canWrite && (
          <Button component={Link} to={`/projects/${projectKey}/flags/new`}>
            New flag
          </Button>
        )}
      </Group>
      <Group mb="md" align="end">
        {view !== 'stale' && (
          <>
            <TextInput
              label="Search"
              placeholder="Key or name"
              value={search}
              onChange={(event) => setSearch(event.currentTarget.value)}
              w={260}
            />
            <TextInput
              label="Tag"
              value={tag}
              onChange={(event) => setTag(event.currentTarget.value)}
              w={160}
            />
          </>
        )}
        <SegmentedControl
          aria-label="Status"
          value={view}
          onChange={(value) => setView(value as typeof view)}
          data={[
            { value: 'active', label: 'Active' },
            { value: 'archived', label: 'Archived' },
            { value: 'stale', label: 'Stale' },
          ]}
        />
        {flags.isFetching && <Loader size="sm" aria-label="Loading flags" />}
      </Group>
      {toggle.error && (
        <Alert color="red" mb="md" role="alert" withCloseButton onClose={() => toggle.reset()}>
          {toggle.error.message}
        </Alert>
      )}
      {view === 'stale' ? (
        <StaleFlagsPanel
          projectKey={projectKey}
          environment={environment}
          environmentName={
            environments.find((candidate) => candidate.key === environment)?.name ?? environment
          }
        />
      ) : flags.isError ? (
        <Alert color="red">{flags.error.message}</Alert>
      ) : flags.data && flags.data.items.length === 0 ? (
        <Text c="dimmed">
          {debouncedSearch || debouncedTag || status === 'archived' ? 'No flag matches.' : 'No flags yet.'}
        </Text>
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Flag</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Tags</Table.Th>
              {environments.map((environment) => (
                <Table.Th key={environment.key}>{environment.name}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(flags.data?.items ?? []).map((flag) => (
              <FlagRow
                key={flag.key}
                flag={flag}
                projectKey={projectKey}
                environments={environments}
                canWrite={canWrite && status === 'active'}
                onToggle={(environment, enabled) =>
                  toggle.mutate({ key: flag.key, environment, enabled, version: flag.version })
                }
              />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}

function FlagRow(props: {
  flag: Flag;
  projectKey: string;
  environments: readonly { key: string; name: string }[];
  canWrite: boolean;
  onToggle(environment: string, enabled: boolean): void;
}) {
  const { flag, projectKey, environments, canWrite, onToggle } = props;
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/projects/${projectKey}/flags/${flag.key}`} fw={500}>
          {flag.name || flag.key}
        </Anchor>
        {flag.name && flag.name !== flag.key && (
          <Text size="xs" c="dimmed" ff="monospace">
            {flag.key}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{flag.type}</Table.Td>
      <Table.Td>
        <Group gap={4}>
          {flag.tags.map((tag) => (
            <Badge key={tag} variant="light" size="sm">
              {tag}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      {environments.map((environment) => {
        const enabled = flag.environments[environment.key]?.enabled ?? false;
        return (
          <Table.Td key={environment.key}>
            <Switch
              aria-label={`${flag.key} in ${environment.name}`}
              checked={enabled}
              disabled={!canWrite}
              onChange={(event) => onToggle(environment.key, event.currentTarget.checked)}
              label={enabled ? 'On' : 'Off'}
            />
          </Table.Td>
        );
      })}
    </Table.Tr>
  );
}
