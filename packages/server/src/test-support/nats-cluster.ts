/**
 * @module test-support/nats-cluster
 * A real NATS JetStream cluster on loopback for fault tests: one `nats-server` process per node,
 * each with its own client and route ports (free ones) and storage directory, routed to the others.
 * Nodes can be killed (SIGKILL) and restarted on the same ports and storage, as after a crash.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until the node accepts client connections (it does so once its JetStream is up). */
async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const { connect } = await import('node:net');
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nats-server did not open port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

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
    await waitForPort(node.clientPort, 15_000);
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
