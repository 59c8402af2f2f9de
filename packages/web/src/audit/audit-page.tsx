/**
 * @module audit/audit-page
 * Who changed what in the project, newest first: filters by kind of object, by who acted (a
 * member, any API key, the system) and by a range of days, kept in the address (bookmarkable; Back
 * undoes a change); pages of 25 with newer/older; each record's before and after on demand. The pieces are shared with the instance's audit log.
 */
import { Title } from '@mantine/core';
import { CursorPager } from '../layout/cursor-pager.js';
import { useMembers } from '../members/queries.js';
import { useProjectScope } from '../projects/environment-choice.js';
import { AuditFilterBar } from './audit-filter-bar.js';
import { auditFilters } from './audit-filters.js';
import { AuditRecords } from './audit-records.js';
import { readAuditFilterInputs } from './audit-search-params.js';
import { useAuditPage } from './queries.js';
import { useAuditListing } from './use-audit-listing.js';

export function AuditPage() {
  const { projectKey } = useProjectScope();
  const members = useMembers(projectKey);
  const listing = useAuditListing(readAuditFilterInputs);
  const page = useAuditPage(projectKey, auditFilters(listing.inputs), listing.pages.cursor);
  const people = members.data?.items ?? [];

  return (
    <>
      <Title order={2} mb="md">
        Audit log
      </Title>
      <AuditFilterBar
        inputs={listing.inputs}
        onChange={listing.change}
        people={people}
        loading={page.isFetching}
      />
      <AuditRecords page={page} people={people} />
      <CursorPager pages={listing.pages} page={page} />
    </>
  );
}
