/**
 * @module projects/project-settings-page
 * The project itself: its name and description (owners change them), its environments (admins
 * add one), and deleting it with everything in it — behind a dialog that asks for the project's key,
 * as GitHub does for repositories, because nothing brings it back.
 */
import { Button, Card, Group, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { fieldError } from '../api/api-error.js';
import { FormError } from '../api/form-error.js';
import { ConfirmDialog } from '../layout/confirm-dialog.js';
import { useProjectScope } from './environment-choice.js';
import {
  roleAtLeast,
  useCreateEnvironment,
  useDeleteProject,
  useMyRole,
  useProject,
  useUpdateProject,
} from './queries.js';

export function ProjectSettingsPage() {
  const { projectKey } = useProjectScope();
  const project = useProject(projectKey);
  const role = useMyRole(projectKey);
  if (!project.data) return null;
  const isOwner = roleAtLeast(role, 'owner');
  return (
    <Stack maw={900}>
      <Title order={2}>Settings</Title>
      <ProjectFields
        // Keyed by version: a saved change reloads the form with what the server stored.
        key={project.data.version}
        project={project.data}
        readOnly={!isOwner}
      />
      <Environments canAdd={roleAtLeast(role, 'admin')} />
      {isOwner && <DeleteProject project={project.data} />}
    </Stack>
  );
}

interface ProjectSummary {
  key: string;
  name: string;
  description: string;
  version: number;
}

function ProjectFields({ project, readOnly }: { project: ProjectSummary; readOnly: boolean }) {
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  const update = useUpdateProject(project.key);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ name, description, version: project.version });
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Project">
      <Stack gap="sm">
        <TextInput label="Key" description="Fixed: SDKs and URLs use it." value={project.key} readOnly />
        <TextInput
          label="Name"
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={fieldError(update.error, '/name')}
          readOnly={readOnly}
        />
        <Textarea
          label="Description"
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
          error={fieldError(update.error, '/description')}
          readOnly={readOnly}
        />
        <FormError error={update.error} />
        {!readOnly && (
          <Group>
            <Button type="submit" loading={update.isPending}>
              Save project
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

function Environments({ canAdd }: { canAdd: boolean }) {
  const { projectKey, environments } = useProjectScope();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const create = useCreateEnvironment(projectKey);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { key: key.trim(), name: name.trim() },
      {
        onSuccess: () => {
          setKey('');
          setName('');
        },
      },
    );
  };
  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        Environments
      </Title>
      <Table aria-label="Environments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Key</Table.Th>
            <Table.Th>Name</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {environments.map((environment) => (
            <Table.Tr key={environment.key}>
              <Table.Td>{environment.key}</Table.Td>
              <Table.Td>{environment.name}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {canAdd && (
        <form onSubmit={submit} noValidate aria-label="New environment">
          <Group align="start">
            <TextInput
              label="Environment key"
              placeholder="qa"
              value={key}
              onChange={(event) => setKey(event.currentTarget.value)}
              error={fieldError(create.error, '/key')}
            />
            <TextInput
              label="Environment name"
              placeholder="QA"
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={fieldError(create.error, '/name')}
            />
            <Button type="submit" mt={25} variant="light" loading={create.isPending}>
              Add environment
            </Button>
          </Group>
          <FormError error={create.error} />
        </form>
      )}
    </Stack>
  );
}

function DeleteProject({ project }: { project: ProjectSummary }) {
  const [opened, setOpened] = useState(false);
  const [typed, setTyped] = useState('');
  const remove = useDeleteProject(project.key);
  const navigate = useNavigate();
  const close = () => {
    setOpened(false);
    setTyped('');
  };
  return (
    <Card withBorder style={{ borderColor: 'var(--mantine-color-red-4)' }}>
      <Title order={3} size="h4" mb="xs">
        Delete this project
      </Title>
      <Text size="sm" mb="sm">
        Deletes its flags, experiments and their results, metrics, segments, API keys, members and every event
        it received. SDKs using its keys stop getting flags at once.
      </Text>
      <Group>
        <Button color="red" variant="outline" onClick={() => setOpened(true)}>
          Delete project…
        </Button>
      </Group>
      <ConfirmDialog
        opened={opened}
        onClose={close}
        title={`Delete ${project.name || project.key}?`}
        confirmLabel="Delete project"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate(project.version, { onSuccess: () => navigate('/') })}
        confirmDisabled={typed !== project.key}
        confirmation={
          <TextInput
            label="Project key"
            description="Type it to confirm"
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            autoComplete="off"
          />
        }
      >
        This cannot be undone: the project and everything in it are deleted.
      </ConfirmDialog>
    </Card>
  );
}
