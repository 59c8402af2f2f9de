/**
 * @module layout/demo-banner
 * Says, on every page of the demo project, that its data is simulated; instance administrators
 * (the demo belongs to the instance) can remove it there in one action, after confirming.
 */
import { Alert, Button, Group, Modal, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../api/client.js';
import { useSession } from '../auth/session.js';
import { CreateFirstProject } from '../pages/home-page.js';

const DEMO_KEY = ['demo'] as const;

function useDemo() {
  return useQuery({
    queryKey: DEMO_KEY,
    queryFn: async () => {
      const { data, response } = await api.GET('/api/v1/demo');
      // 404: this instance has no demo (any more).
      return response.ok && data ? data.project : null;
    },
    staleTime: 60_000,
  });
}

export function DemoBanner({ projectKey }: { projectKey: string }) {
  const demo = useDemo();
  const session = useSession();
  const [confirming, { open, close }] = useDisclosure(false);
  const [creating, creation] = useDisclosure(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/demo')),
    onSuccess: async () => {
      close();
      queryClient.removeQueries({ queryKey: ['projects', projectKey] });
      await queryClient.invalidateQueries({ queryKey: ['projects'] });
      queryClient.setQueryData(DEMO_KEY, null);
      navigate('/');
    },
  });
  if (!demo.data || demo.data.key !== projectKey) return null;
  const canRemove = session.data?.user.isInstanceAdmin === true;
  return (
    <Alert color="grape" title="This is a demo project" mb="md">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm">
          Its flags, experiments and results are made up: two weeks of simulated shoppers. Run{' '}
          <code>npm run demo:traffic</code> to send more through the SDK and watch the results move.
        </Text>
        {canRemove && (
          <Group gap="xs" wrap="nowrap">
            <Button variant="default" size="xs" onClick={creation.open}>
              Create your own project
            </Button>
            <Button color="red" variant="light" size="xs" onClick={open}>
              Remove demo project
            </Button>
          </Group>
        )}
      </Group>
      <Modal opened={creating} onClose={creation.close} title="Create a project" centered>
        <CreateFirstProject />
      </Modal>
      <Modal opened={confirming} onClose={close} title="Remove the demo project?" centered>
        <Text size="sm" mb="md">
          Its flags, experiments, results and events are deleted. This cannot be undone.
        </Text>
        {remove.isError && (
          <Text c="red" size="sm" mb="md" role="alert">
            {remove.error.message}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Keep it
          </Button>
          <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
            Remove demo project
          </Button>
        </Group>
      </Modal>
    </Alert>
  );
}
