/**
 * @module flags/test-flag-panel
 * "Test this flag": type a context (JSON, checked as you type), evaluate the flag in the chosen
 * environment's saved configuration, and read the answer with the why of every rule.
 */
import { Alert, Badge, Button, Card, Code, Group, List, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client.js';

/** The context as typed: a JSON object, or the reason it is not one. */
export function parseContext(
  text: string,
): { ok: true; context: Record<string, unknown> } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `invalid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'must be a JSON object, like {"targetingKey": "user-1"}' };
  }
  return { ok: true, context: value as Record<string, unknown> };
}

/** One entry of core's explain trace as a line to read (the API documents the trace loosely). */
export function traceLine(entry: unknown): { text: string; matched: boolean } {
  if (typeof entry !== 'object' || entry === null) return { text: String(entry), matched: false };
  const { ruleId, message, matched } = entry as { ruleId?: unknown; message?: unknown; matched?: unknown };
  const prefix = typeof ruleId === 'string' ? `Rule ${ruleId}: ` : '';
  return {
    text: prefix + (typeof message === 'string' ? message : JSON.stringify(entry)),
    matched: matched === true,
  };
}

export function TestFlagPanel(props: {
  projectKey: string;
  flagKey: string;
  environment: string;
  environmentName: string;
}) {
  const { projectKey, flagKey, environment, environmentName } = props;
  const [text, setText] = useState('{\n  "targetingKey": "user-1"\n}');
  const parsed = parseContext(text);
  const evaluation = useMutation({
    mutationFn: (context: Record<string, unknown>) =>
      unwrap(
        api.POST('/api/v1/projects/{projectKey}/flags/{key}/environments/{environmentKey}/evaluate', {
          params: { path: { projectKey, key: flagKey, environmentKey: environment } },
          body: { context },
        }),
      ),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (parsed.ok) evaluation.mutate(parsed.context);
  };
  const result = evaluation.data;
  return (
    <Card withBorder component="section" aria-label="Test this flag">
      <Title order={3} size="h4" mb="xs">
        Test this flag in {environmentName}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Textarea
            label="Evaluation context (JSON)"
            description="Evaluated against the saved configuration, as an SDK would."
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            error={parsed.ok ? undefined : parsed.message}
            autosize
            minRows={3}
            ff="monospace"
          />
          <Button type="submit" w="fit-content" disabled={!parsed.ok} loading={evaluation.isPending}>
            Evaluate
          </Button>
        </Stack>
      </form>
      {evaluation.error && (
        <Alert color="red" mt="sm" role="alert">
          {evaluation.error.message}
        </Alert>
      )}
      {result && (
        <Stack gap="xs" mt="md" aria-live="polite">
          <Group gap="xs">
            <Text fw={600}>Result:</Text>
            <Code>{JSON.stringify(result.value)}</Code>
            {result.variant && <Badge color="blue.9">{result.variant}</Badge>}
            <Text size="sm" c="dimmed">
              reason {result.reason}
            </Text>
          </Group>
          {result.errorMessage && <Alert color="red">{result.errorMessage}</Alert>}
          {result.trace && (
            <List size="sm" spacing={4} aria-label="Explanation">
              {result.trace.map(traceLine).map((line, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the trace is an ordered, immutable list
                <List.Item key={index}>
                  <Text span size="sm" fw={line.matched ? 700 : 400}>
                    {line.text}
                  </Text>
                </List.Item>
              ))}
            </List>
          )}
        </Stack>
      )}
    </Card>
  );
}
