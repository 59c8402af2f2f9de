/**
 * @module audit/instance-audit-page
 * The instance's audit log, for instance administrators: every project's records, deleted
 * projects' included, newest first, with the project page's filters and paging plus a project
 * filter (all kept in the address: bookmarkable, Back undoes a change), and a column naming each
 * record's project. Who acted is named from the instance's accounts, so a member of only deleted
 * projects still has a name, and "Changed by" offers everyone. A deleted project has no name (nor
 * key) any more: it shows as its id, "deleted project". Clicking a record's project shows that project's
 * whole trail (every other filter cleared), which is how a deletion (Object: project) leads to
 * everything that happened in the project before. Everyone else is told who may read it; the page
 * never asks the API for them (it would refuse).
 */
import { Alert, Anchor, Select, Stack, Text, Title } from '@mantine/core';
import { useSession } from '../auth/session.js';
import { CursorPager } from '../layout/cursor-pager.js';
import { type Project, useAllProjects } from '../projects/queries.js';
import { useAllUsers } from '../users/queries.js';
import { AuditFilterBar, type AuditPerson } from './audit-filter-bar.js';
import { instanceAuditFilters, NO_INSTANCE_AUDIT_FILTERS } from './audit-filters.js';
import { AuditRecords } from './audit-records.js';
import { readInstanceAuditFilterInputs } from './audit-search-params.js';
import { type InstanceAuditRecord, useInstanceAuditPage } from './queries.js';
import { useAuditListing } from './use-audit-listing.js';

export function InstanceAuditPage() {
  const session = useSession();
  return (
    <>
      <Title order={2} mb="md">
        Instance audit log
      </Title>
      {session.data?.user.isInstanceAdmin ? (
        <InstanceAuditLog />
      ) : (
        <Alert color="yellow">Only instance administrators see the audit log of the whole instance.</Alert>
      )}
    </>
  );
}

function InstanceAuditLog() {
  const session = useSession();
  const projects = useAllProjects();
  const users = useAllUsers();
  const listing = useAuditListing(readInstanceAuditFilterInputs);
  const { projectId } = listing.inputs;
  const page = useInstanceAuditPage(instanceAuditFilters(listing.inputs), listing.pages.cursor);
  const projectById = new Map((projects.data ?? []).map((project) => [project.id, project]));
  const chosen = projectId ? projectById.get(projectId) : undefined;
  // Oneself from the session too: named at once, before the accounts have loaded.
  const me = session.data?.user;
  const people = uniquePeople([
    ...(me ? [{ userId: me.id, name: me.name, email: me.email }] : []),
    ...(users.data ?? []).map((user) => ({ userId: user.id, name: user.name, email: user.email })),
  ]);

  const projectOptions = (projects.data ?? []).map((project) => ({ value: project.id, label: project.name }));
  // Until the list of projects has loaded, an existing project would pass for a deleted one.
  if (projectId && projects.isSuccess && !chosen)
    projectOptions.push({ value: projectId, label: `${projectId} (deleted project)` });

  return (
    <>
      <AuditFilterBar
        inputs={listing.inputs}
        onChange={listing.change}
        people={people}
        loading={page.isFetching}
      >
        <Select
          label="Project"
          placeholder="Every project"
          data={projectOptions}
          value={projectId}
          onChange={(next) => listing.change({ projectId: next })}
          clearable
          searchable
          w={220}
        />
      </AuditFilterBar>
      {projects.isError && <Alert color="red">{projects.error.message}</Alert>}
      {users.isError && (
        <Alert color="red">People could not be loaded, so they show as ids: {users.error.message}</Alert>
      )}
      <AuditRecords
        page={page}
        people={people}
        extraColumn={{
          header: 'Project',
          cell: (record: InstanceAuditRecord) => (
            <ProjectCell
              projectId={record.projectId}
              project={record.projectId ? projectById.get(record.projectId) : undefined}
              known={projects.isSuccess}
              filtered={record.projectId === projectId}
              onTrail={(id) => listing.replace({ ...NO_INSTANCE_AUDIT_FILTERS, projectId: id })}
            />
          ),
        }}
      />
      <CursorPager pages={listing.pages} page={page} />
    </>
  );
}

/** Each person once (the first given kept), in name order for "Changed by". */
function uniquePeople(people: readonly AuditPerson[]): AuditPerson[] {
  const byId = new Map<string, AuditPerson>();
  for (const person of people) if (!byId.has(person.userId)) byId.set(person.userId, person);
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

interface ProjectCellProps {
  projectId: string | null;
  project: Project | undefined;
  /** Whether the list of projects has loaded (before, a missing project is not yet a deleted one). */
  known: boolean;
  /** Whether the page already shows only this project. */
  filtered: boolean;
  onTrail(projectId: string): void;
}

function ProjectCell({ projectId, project, known, filtered, onTrail }: ProjectCellProps) {
  if (projectId === null)
    return (
      <Text c="dimmed" size="sm">
        instance
      </Text>
    );
  const deleted = known && project === undefined;
  const label = project ? (
    project.name
  ) : (
    <Text span ff="monospace" size="sm">
      {projectId}
    </Text>
  );
  return (
    <Stack gap={0} align="flex-start">
      {filtered ? (
        label
      ) : (
        <Anchor
          component="button"
          type="button"
          size="sm"
          ta="left"
          title="Show this project's whole trail"
          aria-label={`Whole trail of ${project?.name ?? (deleted ? `deleted project ${projectId}` : projectId)}`}
          onClick={() => onTrail(projectId)}
        >
          {label}
        </Anchor>
      )}
      {deleted && (
        <Text size="xs" c="dimmed">
          deleted project
        </Text>
      )}
    </Stack>
  );
}
