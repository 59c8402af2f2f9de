// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { renderUi } from '../test/render.js';
import { AuditFilterBar } from './audit-filter-bar.js';
import { NO_AUDIT_FILTERS } from './audit-filters.js';

afterEach(cleanup);

describe('the audit filter bar', () => {
  it('tells apart people of the same name by their email under "Changed by"', async () => {
    renderUi(
      <AuditFilterBar
        inputs={NO_AUDIT_FILTERS}
        onChange={() => {}}
        loading={false}
        people={[
          { userId: 'u-1', name: 'Sam Smith', email: 'sam@example.com' },
          { userId: 'u-2', name: 'Sam Smith', email: 'sam.smith@example.com' },
          { userId: 'u-3', name: 'Kim Keeper', email: 'kim@example.com' },
        ]}
      />,
    );
    await userEvent.setup().click(screen.getByRole('combobox', { name: 'Changed by' }));
    const listbox = await screen.findByRole('listbox', { name: 'Changed by', hidden: true });
    expect(
      within(listbox)
        .getAllByRole('option', { hidden: true })
        .map((option) => option.textContent),
    ).toEqual([
      'Sam Smith (sam@example.com)',
      'Sam Smith (sam.smith@example.com)',
      'Kim Keeper',
      'Any API key',
      'The system',
    ]);
  });
});
