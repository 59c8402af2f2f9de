/**
 * @module `node --import tsx bench/sdk-delivery/load.ts`: only the request-path part of the SDK
 * delivery suite (evaluation endpoints against `/healthz` on one embedded server), for iterating on
 * request cost without the change-delivery rounds. Prints the same table; writes no results.
 */
import { startServer } from '../support/server.js';
import { apiClient, bootstrapKeys, createTempDir } from '../support/services.js';
import { measureLoad } from './suite.js';

const keys = bootstrapKeys();
const dataDir = createTempDir('cleave-bench-load');
const server = await startServer({
  name: 'load',
  env: {
    CLEAVE_DATA_DIR: dataDir.path,
    CLEAVE_INIT_ADMIN_TOKEN: keys.adminToken,
    CLEAVE_INIT_SDK_KEY: keys.sdkKey,
  },
});
try {
  const load = await measureLoad(server, apiClient(server.url, keys.adminToken));
  for (const entry of load.endpoints) {
    console.log(
      `${entry.endpoint.padEnd(44)} ${String(entry.requestsPerSecond).padStart(6)} req/s  ${entry.ratioToHealthz.toFixed(3)}× /healthz  ${entry.serverCpuUsPerRequest.toFixed(1).padStart(6)} CPU µs/req  ${entry.cpuRatioToHealthz.toFixed(3)}× by CPU`,
    );
  }
} finally {
  await server.stop();
  dataDir.remove();
}
