/**
 * @module layout/project-layout
 * The frame of every project page: the header with the project and environment switchers,
 * sign-out and, for instance administrators only, the instance's audit log; the navigation, and
 * the {@link ProjectScopeContext} the pages read.
 */
import { Alert, AppShell, Burger, Button, Group, NavLink, Select, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { Link, Outlet, NavLink as RouterNavLink, useNavigate, useParams } from 'react-router';
import { useSession } from '../auth/session.js';
import { useLiveUpdates } from '../live/use-live-updates.js';
import { MANAGEMENT_SECTIONS } from '../management/routes.js';
import { FullPageLoader } from '../pages/sign-in-page.js';
import { ProjectScopeContext, useRememberedEnvironment } from '../projects/environment-choice.js';
import { roleAtLeast, useMyRole, useProject, useProjects } from '../projects/queries.js';
import { DemoBanner } from './demo-banner.js';
import { UserMenu } from './user-menu.js';

const SECTIONS = [
  { path: 'flags', label: 'Flags', manage: false },
  { path: 'experiments', label: 'Experiments', manage: false },
  ...MANAGEMENT_SECTIONS,
] as const;

export function ProjectLayout() {
  const { projectKey = '' } = useParams();
  const [navigationOpen, { toggle }] = useDisclosure();
  const project = useProject(projectKey);
  const environments = project.data?.environments ?? [];
  const [environment, chooseEnvironment] = useRememberedEnvironment(
    projectKey,
    environments.map((candidate) => candidate.key),
  );
  const role = useMyRole(projectKey);
  const session = useSession();
  useLiveUpdates(projectKey);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !navigationOpen } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger
              opened={navigationOpen}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Navigation"
            />
            <Title order={1} size="h3">
              Cleave
            </Title>
            <ProjectSwitcher projectKey={projectKey} />
            <Select
              aria-label="Environment"
              w={170}
              data={environments.map((candidate) => ({ value: candidate.key, label: candidate.name }))}
              value={environment ?? null}
              onChange={(value) => value && chooseEnvironment(value)}
              allowDeselect={false}
            />
          </Group>
          <Group wrap="nowrap" gap="sm">
            {session.data?.user.isInstanceAdmin && (
              <>
                <Button component={Link} to="/instance/people" variant="subtle" size="xs">
                  People
                </Button>
                <Button component={Link} to="/instance/audit" variant="subtle" size="xs">
                  Instance audit log
                </Button>
              </>
            )}
            <UserMenu role={role} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Project">
        {SECTIONS.filter((section) => !section.manage || roleAtLeast(role, 'admin')).map((section) => (
          <NavLink
            key={section.path}
            component={RouterNavLink}
            to={`/projects/${projectKey}/${section.path}`}
            label={section.label}
            variant="filled"
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {project.isError ? (
          <Alert color="red" title="This project cannot be opened">
            {project.error.message}
          </Alert>
        ) : environment === undefined ? (
          <FullPageLoader />
        ) : (
          <ProjectScopeContext.Provider
            value={{
              projectKey,
              environments,
              environment,
              canWrite: roleAtLeast(role, 'editor'),
              canManage: roleAtLeast(role, 'admin'),
            }}
          >
            <DemoBanner projectKey={projectKey} />
            <Suspense fallback={<FullPageLoader />}>
              <Outlet />
            </Suspense>
          </ProjectScopeContext.Provider>
        )}
      </AppShell.Main>
    </AppShell>
  );
}

function ProjectSwitcher({ projectKey }: { projectKey: string }) {
  const projects = useProjects();
  const navigate = useNavigate();
  return (
    <Select
      aria-label="Project"
      w={200}
      data={(projects.data?.items ?? []).map((project) => ({ value: project.key, label: project.name }))}
      value={projectKey}
      onChange={(value) => value && value !== projectKey && navigate(`/projects/${value}/flags`)}
      allowDeselect={false}
      searchable
    />
  );
}
