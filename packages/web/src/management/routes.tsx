/**
 * @module management/routes
 * The project's management pages (segments, layers, holdouts, metrics, API keys, members, audit
 * log, webhooks, project settings) as routes under the project layout, each page its own chunk.
 */
import { lazy } from 'react';
import { Route } from 'react-router';

const SegmentsPage = lazy(() =>
  import('../segments/segments-page.js').then((module) => ({ default: module.SegmentsPage })),
);
const SegmentPage = lazy(() =>
  import('../segments/segment-page.js').then((module) => ({ default: module.SegmentPage })),
);
const LayersPage = lazy(() =>
  import('../layers/layers-page.js').then((module) => ({ default: module.LayersPage })),
);
const HoldoutsPage = lazy(() =>
  import('../holdouts/holdouts-page.js').then((module) => ({ default: module.HoldoutsPage })),
);
const MetricsPage = lazy(() =>
  import('../metrics/metrics-page.js').then((module) => ({ default: module.MetricsPage })),
);
const MetricPage = lazy(() =>
  import('../metrics/metric-page.js').then((module) => ({ default: module.MetricPage })),
);
const ApiKeysPage = lazy(() =>
  import('../api-keys/api-keys-page.js').then((module) => ({ default: module.ApiKeysPage })),
);
const MembersPage = lazy(() =>
  import('../members/members-page.js').then((module) => ({ default: module.MembersPage })),
);
const AuditPage = lazy(() =>
  import('../audit/audit-page.js').then((module) => ({ default: module.AuditPage })),
);
const WebhooksPage = lazy(() =>
  import('../webhooks/webhooks-page.js').then((module) => ({ default: module.WebhooksPage })),
);
const ProjectSettingsPage = lazy(() =>
  import('../projects/project-settings-page.js').then((module) => ({ default: module.ProjectSettingsPage })),
);
const WebhookPage = lazy(() =>
  import('../webhooks/webhook-page.js').then((module) => ({ default: module.WebhookPage })),
);

/** Relative routes for inside `/projects/:projectKey`. */
export function managementRoutes() {
  return (
    <>
      <Route path="segments" element={<SegmentsPage />} />
      <Route path="segments/new" element={<SegmentPage />} />
      <Route path="segments/:segmentKey" element={<SegmentPage />} />
      <Route path="layers" element={<LayersPage />} />
      <Route path="holdouts" element={<HoldoutsPage />} />
      <Route path="metrics" element={<MetricsPage />} />
      <Route path="metrics/new" element={<MetricPage />} />
      <Route path="metrics/:metricKey" element={<MetricPage />} />
      <Route path="api-keys" element={<ApiKeysPage />} />
      <Route path="members" element={<MembersPage />} />
      <Route path="audit" element={<AuditPage />} />
      <Route path="webhooks" element={<WebhooksPage />} />
      <Route path="webhooks/:webhookId" element={<WebhookPage />} />
      <Route path="settings" element={<ProjectSettingsPage />} />
    </>
  );
}

/** The navigation entries of these pages; `manage` ones are shown to admins and owners only. */
export const MANAGEMENT_SECTIONS = [
  { path: 'segments', label: 'Segments', manage: false },
  { path: 'layers', label: 'Layers', manage: false },
  { path: 'holdouts', label: 'Holdouts', manage: false },
  { path: 'metrics', label: 'Metrics', manage: false },
  { path: 'members', label: 'Members', manage: false },
  { path: 'audit', label: 'Audit log', manage: false },
  { path: 'api-keys', label: 'API keys', manage: true },
  { path: 'webhooks', label: 'Webhooks', manage: true },
  { path: 'settings', label: 'Settings', manage: false },
] as const;
