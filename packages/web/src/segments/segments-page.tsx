/**
 * @module segments/segments-page
 * A project's segments: search, active or archived, and what each one's conditions say.
 */
import { Text } from '@mantine/core';
import { describeCondition } from '../flags/rule-draft.js';
import { DefinitionsList } from '../management/definitions-list.js';
import { segmentQueries } from './queries.js';

export function SegmentsPage() {
  return (
    <DefinitionsList
      queries={segmentQueries}
      noun={{ one: 'segment', many: 'segments' }}
      columns={[
        {
          header: 'Conditions (all must hold)',
          cell: (segment) => (
            <Text size="sm">
              {segment.conditions.length === 0
                ? 'everyone'
                : segment.conditions.map(describeCondition).join(' and ')}
            </Text>
          ),
        },
      ]}
    />
  );
}
