/**
 * @module segments/segment-page
 * One segment: create it, or read and change it (name, description, tags, conditions with the
 * flag rules' condition builder), and archive or restore it. Viewers read it without controls.
 */
import { Alert, Badge, Group, List, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { fieldError } from '../api/api-error.js';
import { conditionDraftFrom } from '../flags/condition-drafts.js';
import { ConditionsEditor } from '../flags/conditions-editor.js';
import { type ConditionDraft, conditionBody, describeCondition } from '../flags/rule-draft.js';
import {
  type DefinitionDraft,
  DefinitionFields,
  definitionBody,
  definitionDraftOf,
  emptyDefinition,
} from '../management/definition-fields.js';
import { DefinitionPageActions } from '../management/definition-page-actions.js';
import { SavedDefinition } from '../management/saved-definition.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { type Segment, segmentQueries, useArchiveSegment, useSaveSegment } from './queries.js';

export function SegmentPage() {
  const { segmentKey } = useParams();
  return (
    <SavedDefinition
      queries={segmentQueries}
      definitionKey={segmentKey}
      noun="segment"
      // Keyed by version: a saved change reloads the form with what the server stored.
      form={(saved) => <SegmentForm key={saved?.version} saved={saved} />}
    />
  );
}

function SegmentForm({ saved }: { saved?: Segment }) {
  const { projectKey, canWrite } = useProjectScope();
  const navigate = useNavigate();
  const [definition, setDefinition] = useState<DefinitionDraft>(
    saved ? definitionDraftOf(saved) : emptyDefinition(),
  );
  const [conditions, setConditions] = useState<ConditionDraft[]>(
    saved ? saved.conditions.map(conditionDraftFrom) : [],
  );
  const save = useSaveSegment(projectKey, saved);
  const archive = useArchiveSegment(projectKey);
  const readOnly = !canWrite || saved?.status === 'archived';

  if (!saved && !canWrite)
    return <Alert color="yellow">Your role in this project cannot create segments.</Alert>;
  const apiError = (pointer: string) => fieldError(save.error, pointer);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = {
      ...definitionBody(definition),
      conditions: conditions.map(conditionBody),
    };
    save.mutate(body, {
      onSuccess: (stored) => !saved && navigate(`/projects/${projectKey}/segments/${stored.key}`),
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Group mb="md" gap="sm">
        <Title order={2}>{saved ? saved.name || saved.key : 'New segment'}</Title>
        {saved?.status === 'archived' && <Badge color="gray">archived</Badge>}
      </Group>
      <Stack maw={900}>
        <DefinitionFields
          draft={definition}
          onChange={setDefinition}
          keyFixed={saved !== undefined}
          readOnly={readOnly}
          apiError={apiError}
        />
        {readOnly ? (
          <ReadOnlyConditions saved={saved} />
        ) : (
          <ConditionsEditor
            conditions={conditions}
            onChange={setConditions}
            apiError={(pointer) => apiError(`/conditions${pointer}`)}
            emptyMeaning="everyone"
          />
        )}
        <DefinitionPageActions
          noun={{ one: 'segment', many: 'segments' }}
          listPath={`/projects/${projectKey}/segments`}
          saved={saved}
          readOnly={readOnly}
          canWrite={canWrite}
          save={save}
          archive={archive}
        />
      </Stack>
    </form>
  );
}

function ReadOnlyConditions({ saved }: { saved?: Segment }) {
  const conditions = saved?.conditions ?? [];
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        Conditions (all must hold)
      </Text>
      {conditions.length === 0 ? (
        <Text size="sm">None: everyone is in it.</Text>
      ) : (
        <List size="sm">
          {conditions.map((condition) => (
            <List.Item key={describeCondition(condition)}>{describeCondition(condition)}</List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
