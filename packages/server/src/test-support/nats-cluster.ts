/**
 * @module test-support/nats-cluster
 * A real NATS JetStream cluster on loopback for fault tests: one `nats-server` process per node,
 * each with its own client and route ports (free ones) and storage directory, routed to the others.
 * Nodes can be killed (SIGKILL) and restarted on the same ports and storage, as after a crash.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitForPort } from './ports.js';

export interface ClusterNode {
  name: string;
  clientPort: number;
  routePort: number;
  url: string;
  process: ChildProcess | undefined;
}

export interface NatsCluster {
  nodes: ClusterNode[];
  /** Every node's client URL, comma-separated (what `NATS_URL` takes). */
  urls: string;
  kill(name: string): Promise<void>;
  start(name: string): Promise<void>;
  stop(): Promise<void>;
}

const BINARY = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'].find(
  (candidate) => existsSync(candidate),
);

export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  if (!BINARY) throw new Error('nats-server is not installed (apt-get install nats-server)');
  const directory = mkdtempSync(path.join(tmpdir(), 'cleave-nats-cluster-'));
  const clusterName = `cleave_test_${process.pid}`;
  const nodes: ClusterNode[] = [];
  for (let index = 0; index < size; index += 1) {
    const clientPort = await freePort();
    const routePort = await freePort();
    nodes.push({
      name: `n${index + 1}`,
      clientPort,
      routePort,
      url: `nats://127.0.0.1:${clientPort}`,
      process: undefined,
    });
  }
  const routes = nodes.map((node) => `nats://127.0.0.1:${node.routePort}`).join(',');

  const start = async (name: string) => {
    const node = nodes.find((candidate) => candidate.name === name);
    if (!node) throw new Error(`no node ${name}`);
    node.process = spawn(
      BINARY,
      [
        '-a',
        '127.0.0.1',
        '-p',
        String(node.clientPort),
        '-n',
        node.name,
        '-js',
        '-sd',
        path.join(directory, node.name),
        '--cluster_name',
        clusterName,
        '--cluster',
        `nats://127.0.0.1:${node.routePort}`,
        '--routes',
        routes,
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(node.clientPort, 15_000, 'nats-server');
  };
  const kill = async (name: string) => {
    const node = nodes.find((candidate) => candidate.name === name);
    const child = node?.process;
    if (!node || !child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    node.process = undefined;
  };

  await Promise.all(nodes.map((node) => start(node.name)));
  return {
    nodes,
    urls: nodes.map((node) => node.url).join(','),
    kill,
    start,
    async stop() {
      await Promise.all(nodes.map((node) => kill(node.name)));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
