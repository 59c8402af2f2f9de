/**
 * @module layout/instance-layout
 * The frame of the pages about the whole instance rather than one project (its audit log, its
 * people): the header with the way back to the projects, links between those pages, and sign-out;
 * no project navigation.
 */
import { AppShell, Button, Group, Title } from '@mantine/core';
import { Suspense } from 'react';
import { Link, Outlet } from 'react-router';
import { FullPageLoader } from '../pages/sign-in-page.js';
import { UserMenu } from './user-menu.js';

export function InstanceLayout() {
  return (
    <AppShell header={{ height: 60 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Title order={1} size="h3">
              Cleave
            </Title>
            <Button component={Link} to="/" variant="subtle" size="xs">
              Projects
            </Button>
            <Button component={Link} to="/instance/audit" variant="subtle" size="xs">
              Audit log
            </Button>
            <Button component={Link} to="/instance/people" variant="subtle" size="xs">
              People
            </Button>
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Suspense fallback={<FullPageLoader />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
