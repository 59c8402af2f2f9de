/**
 * @module metrics/metrics-page
 * The metrics library: what each metric measures, the direction that counts as better, and
 * search over active or archived ones.
 */
import { Text } from '@mantine/core';
import { DefinitionsList } from '../management/definitions-list.js';
import { describeMetric } from './metric-draft.js';
import { metricQueries } from './queries.js';

export function MetricsPage() {
  return (
    <DefinitionsList
      queries={metricQueries}
      noun={{ one: 'metric', many: 'metrics' }}
      columns={[
        { header: 'Type', cell: (metric) => metric.type },
        { header: 'Measures', cell: (metric) => <Text size="sm">{describeMetric(metric)}</Text> },
        { header: 'Better when', cell: (metric) => (metric.direction === 'decrease' ? 'lower' : 'higher') },
      ]}
    />
  );
}
