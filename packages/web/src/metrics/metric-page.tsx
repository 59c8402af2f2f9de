/**
 * @module metrics/metric-page
 * One metric of the library: create it, or read and change it — its type (proportion, mean,
 * ratio), the event(s) with their aggregation and property filters, the conversion window, the
 * cap on extreme units and the desired direction — and archive or restore it. Viewers read it
 * without controls.
 */
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Fieldset,
  Group,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { fieldError } from '../api/api-error.js';
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
import {
  type AggregateDraft,
  emptyMetricDraft,
  FILTER_OPERATORS,
  type FilterDraft,
  type MetricDraft,
  type MetricType,
  metricBody,
  metricChange,
  metricDraftOf,
} from './metric-draft.js';
import { type Metric, metricQueries, useArchiveMetric, useSaveMetric } from './queries.js';

const TYPES: { value: MetricType; label: string }[] = [
  { value: 'proportion', label: 'Proportion: share of units that did it' },
  { value: 'mean', label: 'Mean: per-unit count or sum, averaged' },
  { value: 'ratio', label: 'Ratio: sum of one event over another' },
];

export function MetricPage() {
  const { metricKey } = useParams();
  return (
    <SavedDefinition
      queries={metricQueries}
      definitionKey={metricKey}
      noun="metric"
      // Keyed by version: a saved change reloads the form with what the server stored.
      form={(saved) => <MetricForm key={saved?.version} saved={saved} />}
    />
  );
}

function MetricForm({ saved }: { saved?: Metric }) {
  const { projectKey, canWrite } = useProjectScope();
  const navigate = useNavigate();
  const [definition, setDefinition] = useState<DefinitionDraft>(
    saved ? definitionDraftOf(saved) : emptyDefinition(),
  );
  const [draft, setDraft] = useState<MetricDraft>(saved ? metricDraftOf(saved) : emptyMetricDraft());
  const save = useSaveMetric(projectKey, saved);
  const archive = useArchiveMetric(projectKey);
  const readOnly = !canWrite || saved?.status === 'archived';
  const change = (update: Partial<MetricDraft>) => setDraft((current) => ({ ...current, ...update }));

  if (!saved && !canWrite)
    return <Alert color="yellow">Your role in this project cannot create metrics.</Alert>;
  const apiError = (pointer: string) => fieldError(save.error, pointer);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { ...definitionBody(definition), ...(saved ? metricChange(draft) : metricBody(draft)) },
      { onSuccess: (stored) => !saved && navigate(`/projects/${projectKey}/metrics/${stored.key}`) },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Group mb="md" gap="sm">
        <Title order={2}>{saved ? saved.name || saved.key : 'New metric'}</Title>
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
        <Group grow align="start">
          <Select
            label="Type"
            data={TYPES}
            value={draft.type}
            onChange={(value) => value && change({ type: value as MetricType })}
            allowDeselect={false}
            readOnly={readOnly}
            // A saved denominator or cap that no longer applies is refused under its own name;
            // those fields are hidden for this type, so the message goes here.
            error={
              apiError('/type') ??
              (draft.type !== 'ratio' ? apiError('/denominator') : undefined) ??
              (draft.type === 'proportion' ? apiError('/capping') : undefined)
            }
          />
          <Select
            label="Desired direction"
            data={[
              { value: 'increase', label: 'Higher is better' },
              { value: 'decrease', label: 'Lower is better' },
            ]}
            value={draft.direction}
            onChange={(value) => value && change({ direction: value as MetricDraft['direction'] })}
            allowDeselect={false}
            readOnly={readOnly}
            error={apiError('/direction')}
          />
        </Group>
        <AggregateFields
          legend={draft.type === 'ratio' ? 'Numerator' : 'Event'}
          side="numerator"
          aggregate={draft.numerator}
          showAggregation={draft.type !== 'proportion'}
          readOnly={readOnly}
          onChange={(numerator) => change({ numerator })}
          apiError={apiError}
        />
        {draft.type === 'ratio' && (
          <AggregateFields
            legend="Denominator"
            side="denominator"
            aggregate={draft.denominator}
            showAggregation
            readOnly={readOnly}
            onChange={(denominator) => change({ denominator })}
            apiError={apiError}
          />
        )}
        <Fieldset legend="Conversion window (hours after a unit's first exposure)">
          <Group grow align="start">
            <NumberInput
              label="Ignore events before (hours)"
              min={0}
              value={draft.delayHours}
              readOnly={readOnly}
              onChange={(value) => change({ delayHours: typeof value === 'number' ? value : 0 })}
              error={apiError('/conversionWindow/delayHours')}
            />
            <NumberInput
              label="Count events for (hours)"
              description="Empty: until the analysis ends"
              min={0}
              value={draft.windowHours}
              readOnly={readOnly}
              onChange={(value) => change({ windowHours: typeof value === 'number' ? value : '' })}
              error={apiError('/conversionWindow/windowHours')}
            />
          </Group>
        </Fieldset>
        {draft.type !== 'proportion' && (
          <Fieldset legend="Capping (keeps a few extreme units from dominating)">
            <Group grow align="start">
              <Select
                label="Cap"
                data={[
                  { value: 'none', label: 'No cap' },
                  { value: 'absolute', label: 'At a value' },
                  { value: 'percentile', label: 'At a percentile of units' },
                ]}
                value={draft.capping}
                onChange={(value) => value && change({ capping: value as MetricDraft['capping'] })}
                allowDeselect={false}
                readOnly={readOnly}
                error={apiError('/capping/type')}
              />
              {draft.capping !== 'none' && (
                <NumberInput
                  label={draft.capping === 'percentile' ? 'Percentile' : 'Highest value per unit'}
                  suffix={draft.capping === 'percentile' ? ' %' : undefined}
                  min={0}
                  decimalScale={draft.capping === 'percentile' ? 2 : undefined}
                  value={draft.capValue}
                  readOnly={readOnly}
                  onChange={(value) => change({ capValue: typeof value === 'number' ? value : '' })}
                  error={apiError('/capping/value') ?? apiError('/capping')}
                />
              )}
            </Group>
          </Fieldset>
        )}
        <Text size="sm" c="dimmed">
          Variance reduction (CUPED) is chosen per experiment in its analysis settings, not per metric.
        </Text>
        <DefinitionPageActions
          noun={{ one: 'metric', many: 'metrics' }}
          listPath={`/projects/${projectKey}/metrics`}
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

function AggregateFields(props: {
  legend: string;
  side: 'numerator' | 'denominator';
  aggregate: AggregateDraft;
  showAggregation: boolean;
  readOnly: boolean;
  onChange(aggregate: AggregateDraft): void;
  apiError(pointer: string): string | undefined;
}) {
  const { legend, side, aggregate, showAggregation, readOnly, onChange, apiError } = props;
  const change = (update: Partial<AggregateDraft>) => onChange({ ...aggregate, ...update });
  const changeFilter = (index: number, update: Partial<FilterDraft>) =>
    change({
      filters: aggregate.filters.map((filter, position) =>
        position === index ? { ...filter, ...update } : filter,
      ),
    });
  return (
    <Fieldset legend={legend}>
      <Stack gap="sm">
        <Group grow align="start">
          <TextInput
            label={legend === 'Event' ? 'Event' : `${legend} event`}
            placeholder="purchase"
            required
            value={aggregate.event}
            readOnly={readOnly}
            onChange={(event) => change({ event: event.currentTarget.value })}
            error={apiError(`/${side}/event`)}
          />
          {showAggregation && (
            <Select
              label={`${legend} per unit`}
              data={[
                { value: 'count', label: 'Count of events' },
                { value: 'sum', label: 'Sum of event values' },
              ]}
              value={aggregate.aggregation}
              onChange={(value) => value && change({ aggregation: value as AggregateDraft['aggregation'] })}
              allowDeselect={false}
              readOnly={readOnly}
              error={apiError(`/${side}/aggregation`)}
            />
          )}
        </Group>
        {aggregate.filters.map((filter, index) => {
          const label = `${legend} filter ${index + 1}`;
          const pointer = `/${side}/filters/${index}`;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: filters are positions in the list being edited
            <Card key={index} withBorder p="xs">
              <Group align="start" wrap="nowrap">
                <TextInput
                  label={`${label} property`}
                  placeholder="plan"
                  value={filter.property}
                  readOnly={readOnly}
                  onChange={(event) => changeFilter(index, { property: event.currentTarget.value })}
                  error={apiError(`${pointer}/property`)}
                />
                <Select
                  label={`${label} operator`}
                  data={FILTER_OPERATORS.map((operator) => ({
                    value: operator,
                    label: operator.replaceAll('_', ' '),
                  }))}
                  value={filter.operator}
                  onChange={(value) =>
                    value && changeFilter(index, { operator: value as FilterDraft['operator'] })
                  }
                  allowDeselect={false}
                  readOnly={readOnly}
                  w={140}
                />
                {filter.operator !== 'exists' && filter.operator !== 'not_exists' && (
                  <TextInput
                    label={`${label} value`}
                    description={
                      filter.operator === 'in' || filter.operator === 'not_in' ? 'Comma-separated' : undefined
                    }
                    value={filter.value}
                    readOnly={readOnly}
                    onChange={(event) => changeFilter(index, { value: event.currentTarget.value })}
                    error={apiError(`${pointer}/value`) ?? apiError(pointer)}
                    style={{ flex: 1 }}
                  />
                )}
                {!readOnly && (
                  <ActionIcon
                    mt={28}
                    variant="subtle"
                    color="red"
                    aria-label={`Remove ${label.toLowerCase()}`}
                    onClick={() =>
                      change({ filters: aggregate.filters.filter((_, position) => position !== index) })
                    }
                  >
                    ✕
                  </ActionIcon>
                )}
              </Group>
            </Card>
          );
        })}
        {!readOnly && (
          <Group>
            <Button
              variant="light"
              size="xs"
              onClick={() =>
                change({ filters: [...aggregate.filters, { property: '', operator: 'eq', value: '' }] })
              }
            >
              Add {legend.toLowerCase()} filter
            </Button>
          </Group>
        )}
      </Stack>
    </Fieldset>
  );
}
