/**
 * @module management/secret-once
 * A secret the API shows once (a new API key, a webhook's signing secret): shown with a copy
 * button and the warning that it cannot be seen again, until the person dismisses it.
 */
import { Alert, Button, Code, CopyButton, Group, Text } from '@mantine/core';

export function SecretOnce(props: { title: string; secret: string; onDismiss(): void }) {
  const { title, secret, onDismiss } = props;
  return (
    // The title is plain text: the alert's own title colour is too light on yellow for WCAG AA.
    <Alert color="yellow" role="status" mb="md">
      <Text fw={700} mb={4}>
        {title}
      </Text>
      <Text size="sm" mb="xs">
        Copy it now: it is shown only this once and cannot be read again.
      </Text>
      <Code block aria-label="Secret" data-testid="secret">
        {secret}
      </Code>
      <Group mt="sm">
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button size="xs" color={copied ? 'teal' : undefined} onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
        <Button size="xs" variant="default" onClick={onDismiss}>
          I have stored it
        </Button>
      </Group>
    </Alert>
  );
}
