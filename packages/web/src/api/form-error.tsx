/**
 * @module api/form-error
 * A failed request's message for the whole form. Issues about the request's own fields are shown
 * next to those fields instead; issues about other objects (a flag still using the segment being
 * archived: `/flags[checkout]/…`) have no field here, so they are listed under the message.
 */
import { Alert, List } from '@mantine/core';
import { ApiError } from './api-error.js';

const REQUEST_PART = /^\/(body|querystring|params)(\/|$)/;

/** Issues that name no field of the request: references from other objects, typically. */
export function issuesElsewhere(error: ApiError): { path: string; message: string }[] {
  return error.issues.filter((issue) => !REQUEST_PART.test(issue.path));
}

/** The request's overall message, unless every problem is already shown next to a field. */
export function FormError({ error }: { error: Error | null }) {
  if (!error) return null;
  const elsewhere = error instanceof ApiError ? issuesElsewhere(error) : [];
  if (error instanceof ApiError && error.issues.length > 0 && elsewhere.length === 0) return null;
  return (
    <Alert color="red" role="alert">
      {error.message}
      {elsewhere.length > 0 && (
        <List size="sm" mt="xs">
          {elsewhere.map((issue) => (
            <List.Item key={`${issue.path} ${issue.message}`}>
              <code>{issue.path}</code>: {issue.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
