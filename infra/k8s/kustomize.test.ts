/**
 * @module infra/k8s/kustomize.test
 * Renders the Kubernetes manifests with `kubectl kustomize` (kustomize v5, part of the machine's
 * kubectl) and validates every object against the Kubernetes OpenAPI schemas as compiled into the
 * `kubernetes-models` package: types, required fields, enums and formats. Those validators do not
 * reject unknown fields, so the assertions below read every field that matters by name (probes,
 * security context, resources, selectors), and a misspelt field fails them instead.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IIoK8sApiCoreV1Container as Container } from 'kubernetes-models/v1/Container';
import type { IIoK8sApiCoreV1PodSpec as PodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IService } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ENVIRONMENT_VARIABLES, loadConfig } from '../../packages/server/src/runtime/config.js';

interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

/** The schema-backed model of each kind the manifests use; a new kind must be added here to pass. */
const models: Record<string, () => Promise<new (data: never) => { validate(): void }>> = {
  'v1/Namespace': async () => (await import('kubernetes-models/v1/Namespace')).Namespace,
  'v1/ServiceAccount': async () => (await import('kubernetes-models/v1/ServiceAccount')).ServiceAccount,
  'v1/ConfigMap': async () => (await import('kubernetes-models/v1/ConfigMap')).ConfigMap,
  'v1/Service': async () => (await import('kubernetes-models/v1/Service')).Service,
  'apps/v1/Deployment': async () => (await import('kubernetes-models/apps/v1/Deployment')).Deployment,
  'batch/v1/Job': async () => (await import('kubernetes-models/batch/v1/Job')).Job,
  'policy/v1/PodDisruptionBudget': async () =>
    (await import('kubernetes-models/policy/v1/PodDisruptionBudget')).PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': async () =>
    (await import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler')).HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': async () =>
    (await import('kubernetes-models/networking.k8s.io/v1/Ingress')).Ingress,
  'networking.k8s.io/v1/NetworkPolicy': async () =>
    (await import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy')).NetworkPolicy,
};

const root = new URL('../../', import.meta.url);

function render(directory: string): KubernetesObject[] {
  const output = execFileSync('kubectl', ['kustomize', fileURLToPath(new URL(directory, import.meta.url))], {
    encoding: 'utf8',
  });
  return parseAllDocuments(output).map((document) => document.toJS() as KubernetesObject);
}

const base = render('./base');
const production = render('./overlays/production');

function find<T>(objects: KubernetesObject[], kind: string, name: string): T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} is not rendered`);
  return found as unknown as T;
}
const podSpecOf = (workload: IDeployment | IJob) => workload.spec?.template.spec as PodSpec;
const containerOf = (workload: IDeployment | IJob) => podSpecOf(workload).containers[0] as Container;
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([key, value]) => labels?.[key] === value);

/** The non-root uid the image runs as (Dockerfile USER), which the pods must agree with. */
const imageUid = Number(readFileSync(new URL('Dockerfile', root), 'utf8').match(/^USER (\d+)/m)?.[1]);

describe.each([
  ['base', base],
  ['production', production],
])('kustomize %s', (_, objects) => {
  const api = find<IDeployment>(objects, 'Deployment', 'cleave-api');
  const worker = find<IDeployment>(objects, 'Deployment', 'cleave-worker');
  const migrate = find<IJob>(objects, 'Job', 'cleave-migrate');
  const workloads = [api, worker, migrate];

  it('renders only objects valid against the Kubernetes schemas', async () => {
    expect(objects.length).toBeGreaterThanOrEqual(13);
    for (const object of objects) {
      const model = models[`${object.apiVersion}/${object.kind}`];
      expect(model, `${object.apiVersion} ${object.kind}`).toBeDefined();
      const Model = await (model as NonNullable<typeof model>)();
      expect(
        () => new Model(object as never).validate(),
        `${object.kind} ${object.metadata.name}`,
      ).not.toThrow();
    }
    // The validators do reject what the API server would: a replica count that is not a number.
    const Deployment = await (models['apps/v1/Deployment'] as NonNullable<(typeof models)[string]>)();
    const broken = { ...api, spec: { ...api.spec, replicas: 'two' } };
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas/);
  });

  it('probes the API for readiness on /readyz and liveness on /healthz, on the port it listens on', () => {
    for (const deployment of [api, worker]) {
      const container = containerOf(deployment);
      const port = container.ports?.[0];
      expect(port?.containerPort).toBe(8080);
      expect(container.env?.find((variable) => variable.name === 'PORT')?.value).toBe(
        String(port?.containerPort),
      );
      expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(container.readinessProbe?.httpGet?.port).toBe(port?.name);
      expect(container.livenessProbe?.httpGet?.port).toBe(port?.name);
    }
  });

  it('runs every container non-root on a read-only root file system, with requests and limits', () => {
    for (const workload of workloads) {
      const pod = podSpecOf(workload);
      const container = containerOf(workload);
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      expect(pod.securityContext?.runAsUser).toBe(imageUid);
      expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      for (const kind of ['requests', 'limits'] as const) {
        expect(container.resources?.[kind]?.cpu, `${workload.metadata?.name} ${kind}`).toBeDefined();
        expect(container.resources?.[kind]?.memory, `${workload.metadata?.name} ${kind}`).toBeDefined();
      }
    }
  });

  it('gives each role the configuration the server accepts, from the ConfigMap and the Secret', () => {
    const configMap = objects.find((object) => object.kind === 'ConfigMap') as unknown as IConfigMap;
    // The Secret is created outside this repository; these stand in for its three keys.
    const secret = {
      DATABASE_URL: 'postgres://cleave:secret@postgres.internal:5432/cleave',
      REDIS_URL: 'rediss://redis.internal:6379',
      NATS_URL: 'nats://nats.internal:4222',
    };
    for (const [workload, roles] of [
      [api, { api: true, worker: false }],
      [worker, { api: false, worker: true }],
    ] as const) {
      const container = containerOf(workload);
      expect(container.envFrom?.map((source) => source.configMapRef?.name ?? source.secretRef?.name)).toEqual(
        [configMap.metadata?.name, 'cleave-secrets'],
      );
      const environment = {
        ...configMap.data,
        ...secret,
        ...Object.fromEntries((container.env ?? []).map((variable) => [variable.name, variable.value])),
      };
      for (const key of Object.keys(environment))
        expect(Object.keys(ENVIRONMENT_VARIABLES), key).toContain(key);
      const config = loadConfig(environment);
      expect(config.roles).toEqual(roles);
      expect(config.trustProxy).toBe(true);
    }
    expect(containerOf(migrate).command).toEqual(
      (
        JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: { migrate: string } }
      ).scripts.migrate
        .split('&&')
        .at(-1)
        ?.trim()
        .split(' '),
    );
    expect(podSpecOf(migrate).restartPolicy).toBe('Never');
  });

  it('wires the Service, Ingress, autoscaler and disruption budget to the API pods', () => {
    const podLabels = api.spec?.template.metadata?.labels;
    const service = find<IService>(objects, 'Service', 'cleave-api');
    expect(matches(service.spec?.selector, podLabels)).toBe(true);
    expect(matches(service.spec?.selector, worker.spec?.template.metadata?.labels)).toBe(false);
    expect(service.spec?.ports?.[0]?.targetPort).toBe(containerOf(api).ports?.[0]?.name);

    const ingress = find<IIngress>(objects, 'Ingress', 'cleave');
    const backend = ingress.spec?.rules?.[0]?.http?.paths[0]?.backend.service;
    expect(backend?.name).toBe(service.metadata?.name);
    expect(backend?.port?.name).toBe(service.spec?.ports?.[0]?.name);
    expect(ingress.spec?.tls?.[0]?.hosts).toEqual([ingress.spec?.rules?.[0]?.host]);

    const autoscaler = find<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler', 'cleave-api');
    expect(autoscaler.spec?.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'cleave-api' });
    expect(autoscaler.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    expect(autoscaler.spec?.maxReplicas).toBeGreaterThan(autoscaler.spec?.minReplicas ?? 0);

    const budget = find<IPodDisruptionBudget>(objects, 'PodDisruptionBudget', 'cleave-api');
    expect(matches(budget.spec?.selector?.matchLabels, podLabels)).toBe(true);
    expect(Number(budget.spec?.minAvailable)).toBeLessThan(autoscaler.spec?.minReplicas ?? 0);
  });

  it('denies all traffic to and from Cleave pods except what the network policies name', () => {
    const policies = objects.filter(
      (object) => object.kind === 'NetworkPolicy',
    ) as unknown as INetworkPolicy[];
    const deny = policies.find((policy) => policy.metadata?.name === 'cleave-default-deny');
    expect(deny?.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(deny?.spec?.ingress).toBeUndefined();
    expect(deny?.spec?.egress).toBeUndefined();
    for (const workload of workloads) {
      expect(matches(deny?.spec?.podSelector.matchLabels, workload.spec?.template.metadata?.labels)).toBe(
        true,
      );
    }
    const allowedInto = (labels: Record<string, string> | undefined) =>
      policies
        .filter((policy) => matches(policy.spec?.podSelector.matchLabels, labels))
        .flatMap((policy) => policy.spec?.ingress ?? [])
        .flatMap((rule) => rule.ports ?? [])
        .map((port) => port.port);
    expect(new Set(allowedInto(api.spec?.template.metadata?.labels))).toEqual(new Set([8080]));
    expect(new Set(allowedInto(migrate.spec?.template.metadata?.labels))).toEqual(new Set([8080]));
    const egressPorts = (labels: Record<string, string> | undefined) =>
      new Set(
        policies
          .filter((policy) => matches(policy.spec?.podSelector.matchLabels, labels))
          .flatMap((policy) => policy.spec?.egress ?? [])
          .flatMap((rule) => rule.ports ?? [])
          .map((port) => port.port),
      );
    expect(egressPorts(api.spec?.template.metadata?.labels)).toEqual(new Set([53, 5432, 6379, 4222]));
    expect(egressPorts(worker.spec?.template.metadata?.labels)).toEqual(
      new Set([53, 5432, 6379, 4222, 443, 80]),
    );
  });
});

describe('kustomize production overlay', () => {
  it('deploys a released image into its own namespace with more API capacity than the base', () => {
    for (const object of production) {
      if (object.kind !== 'Namespace') expect(object.metadata.namespace, object.kind).toBe('cleave');
    }
    for (const name of ['cleave-api', 'cleave-worker']) {
      expect(containerOf(find<IDeployment>(production, 'Deployment', name)).image).toMatch(
        /^[a-z0-9./-]+:\d+\.\d+\.\d+$/,
      );
    }
    const replicas = (objects: KubernetesObject[]) =>
      find<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler', 'cleave-api').spec?.minReplicas ?? 0;
    expect(replicas(production)).toBeGreaterThan(replicas(base));
    const namespace = find<KubernetesObject>(production, 'Namespace', 'cleave');
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});
