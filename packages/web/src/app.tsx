import { useEffect, useState } from 'react';

type Health = { status: 'checking' } | { status: 'up' } | { status: 'down'; reason: string };

/** Landing page until the UI issue lands: shows whether the API this page came from is alive. */
export function App() {
  const [health, setHealth] = useState<Health>({ status: 'checking' });

  useEffect(() => {
    fetch('/healthz')
      .then((response) =>
        setHealth(response.ok ? { status: 'up' } : { status: 'down', reason: `HTTP ${response.status}` }),
      )
      .catch((error: unknown) => setHealth({ status: 'down', reason: String(error) }));
  }, []);

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '4rem auto' }}>
      <h1>Cleave</h1>
      <p>Feature flags, experiments and trustworthy statistics.</p>
      <p data-testid="api-status">
        API:{' '}
        {health.status === 'checking'
          ? 'checking…'
          : health.status === 'up'
            ? 'up'
            : `down (${health.reason})`}
      </p>
      <p>
        API reference: <a href="/docs">/docs</a>
      </p>
    </main>
  );
}
