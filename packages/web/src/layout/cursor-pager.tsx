/**
 * @module layout/cursor-pager
 * Paging through an API list that answers one page and the cursor of the next (audit records,
 * webhook deliveries): the cursors walked so far, and the Newer/Older buttons that walk them.
 */
import { Button, Group } from '@mantine/core';
import { useState } from 'react';

export interface CursorPages {
  /** The cursor of the page on screen (undefined: the newest page). */
  cursor: string | undefined;
  /** Whether there are newer pages to go back to. */
  hasNewer: boolean;
  newer(): void;
  older(nextCursor: string): void;
  /** Back to the newest page (after the filters change, say). */
  reset(): void;
}

export function useCursorPages(): CursorPages {
  /** Cursors of the pages before this one; the last is this page's (undefined: the newest). */
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: cursors.at(-1),
    hasNewer: cursors.length > 1,
    newer: () => setCursors(cursors.slice(0, -1)),
    older: (nextCursor) => setCursors([...cursors, nextCursor]),
    reset: () => setCursors([undefined]),
  };
}

export interface CursorPagerProps {
  pages: CursorPages;
  /** The page on screen as the API answered it (undefined while the first one loads). */
  page: { data?: { nextCursor: string | null } | undefined; isPlaceholderData: boolean };
}

export function CursorPager({ pages, page }: CursorPagerProps) {
  const nextCursor = page.data?.nextCursor;
  return (
    <Group mt="md">
      <Button variant="default" disabled={!pages.hasNewer} onClick={pages.newer}>
        Newer
      </Button>
      <Button
        variant="default"
        disabled={!nextCursor || page.isPlaceholderData}
        onClick={() => nextCursor && pages.older(nextCursor)}
      >
        Older
      </Button>
    </Group>
  );
}
