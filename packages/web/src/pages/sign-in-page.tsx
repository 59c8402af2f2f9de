/**
 * @module pages/sign-in-page
 * The door: first-run setup of the owner on an empty instance (with the one-time setup code the
 * server logs at start-up), sign-in otherwise. Field errors from the API appear under their field.
 */
import {
  Alert,
  Anchor,
  Button,
  Center,
  Loader,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ApiError, fieldError } from '../api/api-error.js';
import { FormError } from '../api/form-error.js';
import { useAuthStatus, useFirstRunSetup, useSignIn } from '../auth/session.js';

/** Re-exported where the forms first found it. */
export { FormError };

export function SignInPage() {
  const status = useAuthStatus();
  if (status.isPending) return <FullPageLoader />;
  if (status.isError) {
    return (
      <Frame title="Cleave">
        <Alert color="red" title="The API is not reachable">
          {status.error.message}
        </Alert>
      </Frame>
    );
  }
  return status.data.needsFirstUser ? <FirstRunSetupForm /> : <SignInForm />;
}

function SignInForm() {
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password });
  };
  return (
    <Frame title="Sign in to Cleave">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={fieldError(signIn.error, '/email')}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={fieldError(signIn.error, '/password')}
          />
          <FormError error={signIn.error} />
          <Button type="submit" loading={signIn.isPending}>
            Sign in
          </Button>
        </Stack>
      </form>
    </Frame>
  );
}

/** The setup code's message: a refused code is a 403 with reason `setup_code`, not a field issue. */
function setupCodeError(error: Error | null): string | undefined {
  if (error instanceof ApiError && error.reason === 'setup_code') return error.message;
  return fieldError(error, '/setupCode');
}

function FirstRunSetupForm() {
  const setup = useFirstRunSetup();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [setupCode, setSetupCode] = useState('');
  const codeError = setupCodeError(setup.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setup.mutate({ name, email, password, setupCode: setupCode.trim() });
  };
  return (
    <Frame title="Set up Cleave">
      <Text size="sm" c="dimmed" mb="md">
        This instance has no accounts yet. The account you create now owns it.
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Setup code"
            description="Printed in the server's log at start-up (“No account exists yet: … setup code …”), or the value of CLEAVE_SETUP_CODE."
            required
            autoComplete="one-time-code"
            value={setupCode}
            onChange={(event) => setSetupCode(event.currentTarget.value)}
            error={codeError}
          />
          <TextInput
            label="Your name"
            required
            autoComplete="name"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={fieldError(setup.error, '/name')}
          />
          <TextInput
            label="Email"
            type="email"
            required
            autoComplete="username"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={fieldError(setup.error, '/email')}
          />
          <PasswordInput
            label="Password"
            description="At least 10 characters."
            required
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={fieldError(setup.error, '/password')}
          />
          {!codeError && <FormError error={setup.error} />}
          <Button type="submit" loading={setup.isPending}>
            Create owner account
          </Button>
        </Stack>
      </form>
    </Frame>
  );
}

function Frame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={420} radius="md">
        <Title order={1} size="h2" mb="md">
          {title}
        </Title>
        {children}
        <Text size="xs" c="dimmed" mt="lg">
          API reference: <Anchor href="/docs">/docs</Anchor>
        </Text>
      </Paper>
    </Center>
  );
}

export function FullPageLoader() {
  return (
    <Center mih="100vh">
      <Loader role="status" aria-label="Loading" />
    </Center>
  );
}
