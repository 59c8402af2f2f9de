/**
 * `npm run demo:traffic`: simulated shoppers for the demo project, sent through the real SDK
 * (server-side, with the server key the demo seed wrote to `<data dir>/demo-key`), so the demo's
 * results move while you watch. Ctrl-C stops it after the SDK has sent what it holds.
 *
 * Environment: CLEAVE_URL (default http://localhost:$PORT or :8080), CLEAVE_DATA_DIR (default
 * ./.cleave), CLEAVE_DEMO_KEY (a server key, instead of the file), DEMO_VISITORS_PER_SECOND
 * (default 5).
 *
 * The visitors behave as the seeded ones do (packages/server/src/features/demo/demo-story.ts,
 * VISITOR_BEHAVIOUR; copied here, as a program outside the server cannot import it): the one-page
 * checkout converts better, everything else is the same for everyone.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from '@cleave/sdk';

const PURCHASE_RATE: Record<string, number> = { classic: 0.1, 'one-page': 0.125 };
const MEAN_ORDER_VALUE = 62;
const PAGE_ERROR_RATE = 0.04;
const COUNTRIES = ['NL', 'DE', 'FR', 'GB', 'US', 'ES'];
const DEVICES = ['mobile', 'desktop', 'tablet'];

async function serverKey(): Promise<string> {
  if (process.env.CLEAVE_DEMO_KEY) return process.env.CLEAVE_DEMO_KEY;
  const file = path.resolve(process.env.CLEAVE_DATA_DIR ?? '.cleave', 'demo-key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    throw new Error(
      `No demo key at ${file}: start Cleave on a fresh embedded store (npm start) so it seeds the demo project, or set CLEAVE_DEMO_KEY to a server key of the demo's production environment.`,
    );
  }
}

const pick = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)] as T;

async function main(): Promise<void> {
  const apiHost = process.env.CLEAVE_URL ?? `http://localhost:${process.env.PORT ?? 8080}`;
  const perSecond = Number(process.env.DEMO_VISITORS_PER_SECOND ?? 5);
  if (!Number.isFinite(perSecond) || perSecond <= 0)
    throw new Error('DEMO_VISITORS_PER_SECOND must be a positive number');
  const client = createClient({ sdkKey: await serverKey(), apiHost, events: { flushIntervalMs: 1_000 } });
  client.on('error', (error) => process.stderr.write(`sdk: ${error.message}\n`));
  if ((await client.ready()) !== 'ready') {
    await client.close();
    throw new Error(
      `Could not load the demo's config from ${apiHost}: is Cleave running, and the demo still there?`,
    );
  }

  // A run of its own, so visitors of two runs are never the same unit.
  const run = Date.now().toString(36);
  const seen: Record<string, { visitors: number; purchases: number }> = {};
  const pending = new Set<NodeJS.Timeout>();
  let visitors = 0;
  const visit = () => {
    visitors += 1;
    const context = {
      targetingKey: `live-${run}-${visitors}`,
      country: pick(COUNTRIES),
      device: pick(DEVICES),
    };
    // Evaluating records the exposures (the SDK batches and sends them).
    const flow = client.getStringValue('checkout-flow', 'classic', context);
    client.getStringValue('homepage-hero', 'spring-sale', context);
    const counts = seen[flow] ?? { visitors: 0, purchases: 0 };
    seen[flow] = counts;
    counts.visitors += 1;
    const later = (work: () => void) => {
      const timer = setTimeout(() => {
        pending.delete(timer);
        work();
      }, Math.random() * 5_000);
      pending.add(timer);
    };
    if (Math.random() < (PURCHASE_RATE[flow] ?? 0)) {
      const value = Math.round(MEAN_ORDER_VALUE * -Math.log(1 - Math.random() * 0.999) * 100) / 100;
      later(() => {
        counts.purchases += 1;
        client.track('purchase', { value, properties: { currency: 'EUR' }, context });
      });
    }
    if (Math.random() < PAGE_ERROR_RATE) later(() => client.track('page-error', { context }));
  };
  const arrivals = setInterval(visit, 1_000 / perSecond);
  const report = setInterval(() => {
    const summary = Object.entries(seen)
      .map(([flow, { visitors: count, purchases }]) => `${flow}: ${count} visitors, ${purchases} purchases`)
      .join('; ');
    process.stdout.write(`${new Date().toISOString()}  ${summary}\n`);
  }, 10_000);
  process.stdout.write(
    `Sending ${perSecond} simulated visitors a second to ${apiHost} (demo project). Ctrl-C stops.\n` +
      'Open the "one-page-checkout" experiment and press "Run analysis now" (or wait for the hourly refresh) to see the results move.\n',
  );

  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    clearInterval(arrivals);
    clearInterval(report);
    for (const timer of pending) clearTimeout(timer);
    process.stdout.write(`\nStopping: sending what is left of ${visitors} visitors' events…\n`);
    client.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo:traffic: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
