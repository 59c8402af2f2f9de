import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { guardedLookup, refusedAddress, refusedUrl, webhookAgent } from './target-network.js';

const strict = { allowPrivateNetworks: false };
const permissive = { allowPrivateNetworks: true };

describe('refusedAddress', () => {
  // Ranges from the IANA special-purpose address registries (RFC 6890 and its updates).
  const cases: Array<[address: string, strict: RegExp | undefined, permissive: RegExp | undefined]> = [
    ['127.0.0.1', /loopback/, undefined],
    ['127.255.1.2', /loopback/, undefined],
    ['10.20.30.40', /private/, undefined],
    ['172.16.0.1', /private/, undefined],
    ['172.31.255.255', /private/, undefined],
    ['192.168.1.1', /private/, undefined],
    ['100.64.0.1', /carrier-grade NAT/, undefined],
    ['198.18.0.1', /benchmarking/, undefined],
    ['::1', /loopback/, undefined],
    ['fd12:3456::1', /unique-local/, undefined],
    ['::ffff:10.0.0.1', /private/, undefined],
    ['::ffff:c0a8:101', /private/, undefined],
    ['::FFFF:7f00:1', /loopback/, undefined],
    ['64:ff9b::a9fe:a9fe', /link-local/, /link-local/],
    ['0:0:0:0:0:ffff:8.8.8.8', undefined, undefined],
    ['169.254.169.254', /link-local.*never/, /link-local.*never/],
    ['fe80::1', /link-local/, /link-local/],
    ['0.0.0.0', /unspecified/, /unspecified/],
    ['::', /unspecified/, /unspecified/],
    ['::ffff:169.254.169.254', /link-local/, /link-local/],
    ['224.0.0.1', /multicast/, /multicast/],
    ['255.255.255.255', /reserved/, /reserved/],
    ['172.32.0.1', undefined, undefined],
    ['8.8.8.8', undefined, undefined],
    ['93.184.215.14', undefined, undefined],
    ['2606:4700:4700::1111', undefined, undefined],
  ];

  it.each(cases)('%s', (address, whenStrict, whenPermissive) => {
    const strictAnswer = refusedAddress(address, strict);
    const permissiveAnswer = refusedAddress(address, permissive);
    if (whenStrict) expect(strictAnswer).toMatch(whenStrict);
    else expect(strictAnswer).toBeUndefined();
    if (whenPermissive) expect(permissiveAnswer).toMatch(whenPermissive);
    else expect(permissiveAnswer).toBeUndefined();
  });

  it('names the variable that allows private networks', () => {
    expect(refusedAddress('10.0.0.1', strict)).toContain('CLEAVE_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true');
  });
});

describe('refusedUrl', () => {
  it('judges literal addresses and localhost names, and leaves other names to the lookup', () => {
    expect(refusedUrl('http://[::1]:8080/x', strict)).toMatch(/loopback/);
    expect(refusedUrl('http://LOCALHOST./x', strict)).toMatch(/loopback name/);
    expect(refusedUrl('http://localhost/x', permissive)).toBeUndefined();
    expect(refusedUrl('http://169.254.169.254/x', permissive)).toMatch(/link-local/);
    expect(refusedUrl('https://hooks.example.com/x', strict)).toBeUndefined();
  });
});

describe('guardedLookup', () => {
  const lookUp = (hostname: string, all: boolean, policy = strict) =>
    new Promise<{ error: Error | null; result: unknown }>((resolve) => {
      guardedLookup(policy)(hostname, { all }, (error, address, family) =>
        resolve({ error, result: all ? address : { address, family } }),
      );
    });

  it('fails a name that resolves only to refused addresses, with the reason', async () => {
    const { error } = await lookUp('localhost', true);
    expect(error?.message).toMatch(/^localhost resolves to .*loopback/);
    expect(await lookUp('localhost', false)).toMatchObject({ error: expect.any(Error) });
  });

  it('passes allowed addresses through in the shape asked for', async () => {
    const all = await lookUp('localhost', true, permissive);
    expect(all.error).toBeNull();
    expect(all.result).toEqual(
      expect.arrayContaining([expect.objectContaining({ family: expect.any(Number) })]),
    );
    const one = await lookUp('localhost', false, permissive);
    expect(one).toMatchObject({
      error: null,
      result: { address: expect.any(String), family: expect.any(Number) },
    });
  });
});

describe('webhookAgent', () => {
  it('resolves every connection through the guarded lookup, names included', async () => {
    const server = createServer((_request, response) => response.end('reached'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const strictAgent = webhookAgent(strict);
    const permissiveAgent = webhookAgent(permissive);
    try {
      // Straight through undici, past the save-time URL check: only the lookup hook can refuse.
      const refused = await fetch(`http://localhost:${port}/`, { dispatcher: strictAgent }).catch(
        (error: Error) => error,
      );
      expect(refused).toBeInstanceOf(Error);
      expect(String((refused as Error & { cause?: unknown }).cause)).toMatch(/resolves to .*loopback/);
      const allowed = await fetch(`http://localhost:${port}/`, { dispatcher: permissiveAgent });
      expect(await allowed.text()).toBe('reached');
    } finally {
      await Promise.all([strictAgent.close(), permissiveAgent.close()]);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
