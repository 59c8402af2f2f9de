/**
 * @module app
 * The UI's root: theme, server-state cache, and the routes. Pages behind the sign-in are loaded on
 * demand (one chunk each), so the first screen downloads only what it shows.
 */
import { MantineProvider } from '@mantine/core';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { useUsageAnalytics } from './analytics/usage-analytics.js';
import { ApiError } from './api/api-error.js';
import { SESSION_KEY, useSession } from './auth/session.js';
import { managementRoutes } from './management/routes.js';
import { FullPageLoader, SignInPage } from './pages/sign-in-page.js';
import { cssVariablesResolver, theme } from './theme.js';

const HomePage = lazy(() => import('./pages/home-page.js').then((module) => ({ default: module.HomePage })));
const ProjectLayout = lazy(() =>
  import('./layout/project-layout.js').then((module) => ({ default: module.ProjectLayout })),
);
const FlagsPage = lazy(() =>
  import('./flags/flags-page.js').then((module) => ({ default: module.FlagsPage })),
);
const NewFlagPage = lazy(() =>
  import('./flags/new-flag-page.js').then((module) => ({ default: module.NewFlagPage })),
);
const ExperimentsPage = lazy(() =>
  import('./experiments/experiments-page.js').then((module) => ({ default: module.ExperimentsPage })),
);
const ExperimentPage = lazy(() =>
  import('./experiments/experiment-page.js').then((module) => ({ default: module.ExperimentPage })),
);
const NewExperimentPage = lazy(() =>
  import('./experiments/new-experiment-page.js').then((module) => ({ default: module.NewExperimentPage })),
);
const InstanceLayout = lazy(() =>
  import('./layout/instance-layout.js').then((module) => ({ default: module.InstanceLayout })),
);
const InstanceAuditPage = lazy(() =>
  import('./audit/instance-audit-page.js').then((module) => ({ default: module.InstanceAuditPage })),
);
const PeoplePage = lazy(() =>
  import('./users/people-page.js').then((module) => ({ default: module.PeoplePage })),
);
const FlagPage = lazy(() => import('./flags/flag-page.js').then((module) => ({ default: module.FlagPage })));

export function createQueryClient(): QueryClient {
  // A 401 from any request means the session ended behind the page's back (signed out elsewhere,
  // expired, or the account disabled by an administrator): re-read the session, whose null
  // answer shows the sign-in page, rather than leaving the person on a page of errors.
  const sessionEnded = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) {
      void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    }
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: sessionEnded }),
    mutationCache: new MutationCache({ onError: sessionEnded }),
    defaultOptions: {
      // A 4xx will not change on retry; the cache is refreshed by live updates and focus instead.
      queries: { retry: false, refetchOnWindowFocus: true, staleTime: 5_000 },
    },
  });
  return queryClient;
}

export function Providers({ children, queryClient }: { children: ReactNode; queryClient: QueryClient }) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}

export function App({ queryClient = createQueryClient() }: { queryClient?: QueryClient }) {
  return (
    <Providers queryClient={queryClient}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </Providers>
  );
}

/** Everything but the sign-in page requires a session. */
export function AppRoutes() {
  const session = useSession();
  useUsageAnalytics();
  if (session.isPending) return <FullPageLoader />;
  if (!session.data) return <SignInPage />;
  return (
    <Suspense fallback={<FullPageLoader />}>
      <Routes>
        <Route path="/projects/:projectKey" element={<ProjectLayout />}>
          <Route path="flags" element={<FlagsPage />} />
          <Route path="flags/new" element={<NewFlagPage />} />
          <Route path="flags/:flagKey" element={<FlagPage />} />
          <Route path="experiments" element={<ExperimentsPage />} />
          <Route path="experiments/new" element={<NewExperimentPage />} />
          <Route path="experiments/:experimentKey" element={<ExperimentPage />} />
          {managementRoutes()}
        </Route>
        <Route path="/instance" element={<InstanceLayout />}>
          <Route path="audit" element={<InstanceAuditPage />} />
          <Route path="people" element={<PeoplePage />} />
        </Route>
        <Route path="*" element={<HomePage />} />
      </Routes>
    </Suspense>
  );
}
