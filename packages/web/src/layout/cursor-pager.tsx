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

/**
 * `scope` names what is being paged (the filters, say): the cursors walked belong to it, so when
 * it changes (a filter, or Back in the browser) paging starts again from the newest page, in the
 * same render, never asking for the old cursor under the new scope.
 */
export function useCursorPages(scope = ''): CursorPages {
  /** Cursors of the pages before this one; the last is this page's (undefined: the newest). */
  const [walked, setWalked] = useState<{ scope: string; cursors: (string | undefined)[] }>({
    scope,
    cursors: [undefined],
  });
  // Forgotten at once, not just hidden: coming back to an earlier scope (Back) starts from its newest page too.
  if (walked.scope !== scope) setWalked({ scope, cursors: [undefined] });
  const cursors = walked.scope === scope ? walked.cursors : [undefined];
  return {
    cursor: cursors.at(-1),
    hasNewer: cursors.length > 1,
    newer: () => setWalked({ scope, cursors: cursors.slice(0, -1) }),
    older: (nextCursor) => setWalked({ scope, cursors: [...cursors, nextCursor] }),
    reset: () => setWalked({ scope, cursors: [undefined] }),
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
