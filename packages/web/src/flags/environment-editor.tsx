/**
 * @module flags/environment-editor
 * A flag's configuration in one environment, edited as a draft: rules (drag or buttons to reorder,
 * condition builder, rollout, experiment, schedule), per-unit overrides and prerequisites. Nothing
 * is saved until the person has seen the diff of what the save will change; the save is one
 * versioned replace, so a change made elsewhere meanwhile is refused rather than overwritten. A
 * change elsewhere to fields the draft left alone is taken into the draft. The kill switch acts at
 * once (it is for emergencies), and the whole configuration can be copied from another environment.
 */
import { Alert, Button, Card, Group, Modal, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ApiError } from '../api/api-error.js';
import { DiffView } from './diff-view.js';
import { diffEnvironment, rebaseDraft } from './environment-diff.js';
import { OverridesEditor } from './overrides-editor.js';
import { PrerequisitesEditor } from './prerequisites-editor.js';
import {
  type EnvironmentState,
  type Flag,
  useCopyEnvironment,
  useExperimentKeys,
  useFlags,
  useSaveEnvironment,
  useSegmentKeys,
  useToggleFlag,
} from './queries.js';
import type { RuleChoices } from './rule-form.js';
import { RuleList } from './rule-list.js';

const DISABLED: EnvironmentState = { enabled: false };

interface Session {
  /** The version the draft is based on; what the save is sent against. */
  version: number;
  base: EnvironmentState;
  draft: EnvironmentState;
  /** Bumped when the draft is replaced from outside, so editors holding typed text start over. */
  revision: number;
}

/** The API's first message under any of `prefixes` (JSON Pointers into the request body). */
function messageUnder(error: unknown, prefixes: readonly string[]): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  for (const [path, message] of Object.entries(error.fieldErrors))
    if (prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)))
      return `${message} (${path})`;
  return undefined;
}

/** Attribute names the flag's rules already use in this environment, plus the targeting key. */
function attributesOf(flag: Flag): string[] {
  const found = new Set(['targetingKey']);
  const visit = (condition: unknown): void => {
    if (typeof condition !== 'object' || condition === null) return;
    const { attribute, all, any, not } = condition as Record<string, unknown>;
    if (typeof attribute === 'string') found.add(attribute);
    for (const child of [...(Array.isArray(all) ? all : []), ...(Array.isArray(any) ? any : [])])
      visit(child);
    visit(not);
  };
  for (const state of Object.values(flag.environments))
    for (const rule of state.rules ?? []) for (const condition of rule.conditions ?? []) visit(condition);
  return [...found];
}

export function EnvironmentEditor(props: {
  projectKey: string;
  flag: Flag;
  environment: string;
  environments: readonly { key: string; name: string }[];
  canWrite: boolean;
}) {
  const { projectKey, flag, environment, environments, canWrite } = props;
  const saved = flag.environments[environment] ?? DISABLED;
  const environmentName =
    environments.find((candidate) => candidate.key === environment)?.name ?? environment;
  const [session, setSession] = useState<Session>({
    version: flag.version,
    base: saved,
    draft: saved,
    revision: 0,
  });
  const [reviewing, setReviewing] = useState(false);
  const save = useSaveEnvironment(projectKey, flag.key, environment);
  const toggle = useToggleFlag(projectKey);
  const segments = useSegmentKeys(projectKey);
  const experiments = useExperimentKeys(projectKey);
  const flags = useFlags(projectKey, { search: '', status: 'active', tag: '' });

  // Someone (or this person's kill switch) saved a newer version: carry the draft over when it can.
  useEffect(() => {
    setSession((current) => {
      // An older version is the refetch racing this person's own save: nothing to carry over.
      if (current.version >= flag.version) return current;
      const rebased = rebaseDraft(current.base, current.draft, saved);
      return rebased
        ? { version: flag.version, base: saved, draft: rebased, revision: current.revision + 1 }
        : current;
    });
  }, [flag.version, saved]);

  const conflict = session.version < flag.version;
  const lines = diffEnvironment(session.base, session.draft);
  const edit = (change: Partial<EnvironmentState>) =>
    setSession((current) => ({ ...current, draft: { ...current.draft, ...change } }));
  const restart = (version: number, state: EnvironmentState) =>
    setSession((current) => ({ version, base: state, draft: state, revision: current.revision + 1 }));
  const prefixes = (path: string) => [`/body${path}`, `/body/environments/${environment}${path}`];

  const choices: RuleChoices = {
    variants: flag.variants.map((variant) => variant.key),
    segments: segments.data ?? [],
    experiments: experiments.data ?? [],
    attributes: attributesOf(flag),
  };
  const prerequisiteFlags = (flags.data?.items ?? [])
    .filter((candidate) => candidate.key !== flag.key)
    .map((candidate) => ({ key: candidate.key, variants: candidate.variants.map((variant) => variant.key) }));

  return (
    <Card withBorder component="section" aria-label={`Configuration in ${environmentName}`}>
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          In {environmentName}
        </Title>
        <Switch
          size="md"
          label={saved.enabled ? 'On' : 'Off'}
          aria-label={`${flag.key} in ${environmentName}`}
          checked={saved.enabled}
          disabled={!canWrite || toggle.isPending}
          onChange={(event) =>
            toggle.mutate({
              key: flag.key,
              environment,
              enabled: event.currentTarget.checked,
              version: flag.version,
            })
          }
        />
      </Group>
      {toggle.error && (
        <Alert color="red" mb="sm" role="alert">
          {toggle.error.message}
        </Alert>
      )}
      {conflict && (
        <Alert color="yellow" mb="sm" role="alert" title="Changed elsewhere">
          This flag was changed in {environmentName} since you started editing (version {session.version} →{' '}
          {flag.version}), in the same parts as your draft. Saving would be refused: discard your draft to
          start from the latest configuration.
        </Alert>
      )}

      <Stack gap="lg">
        <div>
          <Title order={4} size="h5" mb={4}>
            Rules
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Tried in order; the first that matches decides.{' '}
            {canWrite && 'Drag a rule onto another’s place, or use its arrows, to reorder. '}
            Units no rule matches get <b>{flag.defaultVariant}</b>.
          </Text>
          <RuleList
            key={session.revision}
            rules={session.draft.rules ?? []}
            choices={choices}
            canWrite={canWrite}
            ruleError={(index) => messageUnder(save.error, prefixes(`/rules/${index}`))}
            onChange={(rules) => edit({ rules })}
          />
        </div>
        <div>
          <Title order={4} size="h5" mb={4}>
            Per-unit overrides
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Checked before the rules: listed units always get the chosen variant.
          </Text>
          <OverridesEditor
            key={session.revision}
            overrides={session.draft.overrides ?? []}
            variants={choices.variants}
            canWrite={canWrite}
            overrideError={(index) => messageUnder(save.error, prefixes(`/overrides/${index}`))}
            onChange={(overrides) => edit({ overrides })}
          />
        </div>
        <div>
          <Title order={4} size="h5" mb={4}>
            Prerequisites
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Units for which a prerequisite does not hold get <b>{flag.offVariant}</b>.
          </Text>
          <PrerequisitesEditor
            prerequisites={session.draft.prerequisites ?? []}
            flags={prerequisiteFlags}
            canWrite={canWrite}
            onChange={(prerequisites) => edit({ prerequisites })}
          />
          {messageUnder(save.error, prefixes('/prerequisites')) && (
            <Text size="sm" c="red.8" mt={4}>
              {messageUnder(save.error, prefixes('/prerequisites'))}
            </Text>
          )}
        </div>
      </Stack>

      {canWrite && (
        <Group mt="lg" justify="space-between" align="end">
          <Group>
            <Button disabled={lines.length === 0} onClick={() => setReviewing(true)}>
              {lines.length === 0
                ? 'No unsaved changes'
                : `Review and save ${lines.length} ${lines.length === 1 ? 'change' : 'changes'}`}
            </Button>
            <Button
              variant="default"
              disabled={lines.length === 0 && !conflict}
              onClick={() => {
                save.reset();
                restart(flag.version, saved);
              }}
            >
              Discard changes
            </Button>
          </Group>
          <CopyFromEnvironment
            projectKey={projectKey}
            flag={flag}
            environment={environment}
            environmentName={environmentName}
            environments={environments}
            draftIsClean={lines.length === 0 && !conflict}
          />
        </Group>
      )}
      {save.error && !reviewing && (
        <Alert color="red" mt="sm" role="alert">
          {save.error.message}
        </Alert>
      )}

      <Modal
        opened={reviewing}
        onClose={() => setReviewing(false)}
        title={`Save ${flag.key} in ${environmentName}?`}
        size="xl"
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Stack>
          <Text size="sm">This save will make these changes, as one new version of the flag:</Text>
          <DiffView lines={lines} label="Changes to save" />
          {save.error && (
            <Alert color="red" role="alert">
              {save.error.message}
              {save.error instanceof ApiError &&
                Object.entries(save.error.fieldErrors).map(([path, message]) => (
                  <Text key={path} size="sm">
                    {path}: {message}
                  </Text>
                ))}
            </Alert>
          )}
          <Group justify="end">
            <Button variant="default" onClick={() => setReviewing(false)}>
              Keep editing
            </Button>
            <Button
              loading={save.isPending}
              onClick={() =>
                save.mutate(
                  { state: session.draft, version: session.version },
                  {
                    onSuccess: (updated) => {
                      restart(updated.version, updated.environments[environment] ?? DISABLED);
                      setReviewing(false);
                    },
                  },
                )
              }
            >
              Save
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

function CopyFromEnvironment(props: {
  projectKey: string;
  flag: Flag;
  environment: string;
  environmentName: string;
  environments: readonly { key: string; name: string }[];
  draftIsClean: boolean;
}) {
  const { projectKey, flag, environment, environmentName, environments, draftIsClean } = props;
  const others = environments.filter((candidate) => candidate.key !== environment);
  const [from, setFrom] = useState<string | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const copy = useCopyEnvironment(projectKey, flag.key, environment);
  if (others.length === 0) return null;
  const source = others.find((candidate) => candidate.key === from);
  const lines = from
    ? diffEnvironment(flag.environments[environment] ?? DISABLED, flag.environments[from] ?? DISABLED)
    : [];
  return (
    <Group align="end" gap="xs">
      <Select
        label="Copy configuration from"
        placeholder="Environment"
        data={others.map((candidate) => ({ value: candidate.key, label: candidate.name }))}
        value={from}
        onChange={setFrom}
        w={200}
      />
      <Button
        variant="default"
        disabled={!from || !draftIsClean}
        title={draftIsClean ? undefined : 'Save or discard your draft first'}
        onClick={() => {
          copy.reset();
          setReviewing(true);
        }}
      >
        Review copy
      </Button>
      <Modal
        opened={reviewing}
        onClose={() => setReviewing(false)}
        title={`Copy ${flag.key} from ${source?.name ?? from} to ${environmentName}?`}
        size="xl"
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Stack>
          <Text size="sm">
            {environmentName} gets {source?.name ?? from}’s kill switch, rules, overrides and prerequisites.
            This changes:
          </Text>
          <DiffView lines={lines} label="Changes the copy makes" />
          {copy.error && (
            <Alert color="red" role="alert">
              {copy.error.message}
            </Alert>
          )}
          <Group justify="end">
            <Button variant="default" onClick={() => setReviewing(false)}>
              Cancel
            </Button>
            <Button
              disabled={lines.length === 0}
              loading={copy.isPending}
              onClick={() =>
                from && copy.mutate({ from, version: flag.version }, { onSuccess: () => setReviewing(false) })
              }
            >
              Copy from {source?.name ?? from}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}
