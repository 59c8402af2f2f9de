/**
 * @module pages/home-page
 * Where `/` leads a signed-in person: their first project's flags, or — on a fresh instance — a
 * form to create the first project (instance administrators, who also find the instance's audit
 * log there: the trails of projects deleted, the last one perhaps) or a note to ask for access.
 */
import { Alert, Anchor, Button, Center, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { fieldError } from '../api/api-error.js';
import { useSession } from '../auth/session.js';
import { useCreateProject, useProjects } from '../projects/queries.js';
import { FormError, FullPageLoader } from './sign-in-page.js';

export function HomePage() {
  const projects = useProjects();
  const session = useSession();
  if (projects.isPending) return <FullPageLoader />;
  if (projects.isError) return <Alert color="red">{projects.error.message}</Alert>;
  const first = projects.data.items[0];
  if (first) return <Navigate to={`/projects/${first.key}/flags`} replace />;
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder p="xl" w={460} radius="md">
        <Title order={1} size="h2" mb="md">
          No projects yet
        </Title>
        {session.data?.user.isInstanceAdmin ? (
          <>
            <CreateFirstProject />
            <Anchor component={Link} to="/instance/people" size="sm" mt="md" display="block">
              People
            </Anchor>
            <Anchor component={Link} to="/instance/audit" size="sm" mt="xs" display="block">
              Instance audit log
            </Anchor>
          </>
        ) : (
          <Text>You are not a member of any project. Ask a project's owner or admin to add you.</Text>
        )}
      </Paper>
    </Center>
  );
}

/** Derives a project key from its name: lower case, words joined by dashes. */
export function keyFromName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

export function CreateFirstProject() {
  const create = useCreateProject();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [key, setKey] = useState<string | null>(null);
  const effectiveKey = key ?? keyFromName(name);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name, key: effectiveKey },
      { onSuccess: (project) => navigate(`/projects/${project.key}/flags`) },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          A project holds flags, experiments and metrics, with development, staging and production
          environments.
        </Text>
        <TextInput
          label="Project name"
          required
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={fieldError(create.error, '/name')}
        />
        <TextInput
          label="Key"
          description="Used in URLs and by the SDKs; cannot change later."
          required
          value={effectiveKey}
          onChange={(event) => setKey(event.currentTarget.value)}
          error={fieldError(create.error, '/key')}
        />
        <FormError error={create.error} />
        <Button type="submit" loading={create.isPending}>
          Create project
        </Button>
      </Stack>
    </form>
  );
}
