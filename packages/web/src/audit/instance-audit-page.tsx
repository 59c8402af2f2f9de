/**
 * @module audit/instance-audit-page
 * The instance's audit log, for instance administrators: every project's records, deleted
 * projects' included, newest first, with the project page's filters and paging plus a project
 * filter, and a column naming each record's project. A deleted project has no name (nor key) any
 * more: it shows as its id, "deleted project". Clicking a record's project shows that project's
 * whole trail (every other filter cleared), which is how a deletion (Object: project) leads to
 * everything that happened in the project before. Everyone else is told who may read it; the page
 * never asks the API for them (it would refuse).
 */
import { Alert, Anchor, Select, Stack, Text, Title } from '@mantine/core';
import { useSession } from '../auth/session.js';
import { CursorPager } from '../layout/cursor-pager.js';
import { useMembersOf } from '../members/queries.js';
import { type Project, useAllProjects } from '../projects/queries.js';
import { AuditFilterBar, type AuditPerson } from './audit-filter-bar.js';
import { instanceAuditFilters, NO_INSTANCE_AUDIT_FILTERS } from './audit-filters.js';
import { AuditRecords } from './audit-records.js';
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
  const listing = useAuditListing(NO_INSTANCE_AUDIT_FILTERS);
  const { projectId } = listing.inputs;
  const page = useInstanceAuditPage(instanceAuditFilters(listing.inputs), listing.pages.cursor);
  const projectById = new Map((projects.data ?? []).map((project) => [project.id, project]));
  const chosen = projectId ? projectById.get(projectId) : undefined;
  // There is no list of the instance's people: names come from the members of the projects on the
  // page (one cached request each). Someone who left every project, or whose projects are all
  // deleted, shows as their id. "Changed by" offers oneself and the chosen project's members, so
  // that its choices stay put while paging: its key goes first (a Set keeps the order of insertion).
  const shownKeys = new Set<string>(chosen ? [chosen.key] : []);
  for (const record of page.data?.items ?? []) {
    const key = record.projectId ? projectById.get(record.projectId)?.key : undefined;
    if (key) shownKeys.add(key);
  }
  const members = useMembersOf([...shownKeys]);
  const me = session.data?.user;
  const myself: AuditPerson[] = me ? [{ userId: me.id, name: me.name }] : [];
  const named = uniquePeople([...myself, ...members.flat()]);
  const choices = uniquePeople([...myself, ...(chosen ? (members[0] ?? []) : [])]);

  const projectOptions = (projects.data ?? []).map((project) => ({ value: project.id, label: project.name }));
  // Until the list of projects has loaded, an existing project would pass for a deleted one.
  if (projectId && projects.isSuccess && !chosen)
    projectOptions.push({ value: projectId, label: `${projectId} (deleted project)` });

  return (
    <>
      <AuditFilterBar
        inputs={listing.inputs}
        onChange={listing.change}
        people={choices}
        loading={page.isFetching}
      >
        <Select
          label="Project"
          placeholder="Every project"
          data={projectOptions}
          value={projectId}
          onChange={(next) => listing.change({ projectId: next, actor: null })}
          clearable
          searchable
          w={220}
        />
      </AuditFilterBar>
      {projects.isError && <Alert color="red">{projects.error.message}</Alert>}
      <AuditRecords
        page={page}
        people={named}
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

/** Each person once, the first name given kept. */
function uniquePeople(people: readonly AuditPerson[]): AuditPerson[] {
  const byId = new Map<string, AuditPerson>();
  for (const person of people) if (!byId.has(person.userId)) byId.set(person.userId, person);
  return [...byId.values()];
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
