import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, registerJsonBodyParser } from './json-body-parser.js';

/** An app that echoes the parsed body, with Cleave's parser or with Fastify's own (the reference). */
async function echoApp(parser: 'cleave' | 'fastify'): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  if (parser === 'cleave') registerJsonBodyParser(app);
  else {
    const reference = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, reference);
  }
  app.post('/echo', async (request) => ({ body: request.body }));
  await app.ready();
  return app;
}

function post(app: FastifyInstance, payload: string) {
  return app.inject({
    method: 'POST',
    url: '/echo',
    payload,
    headers: { 'content-type': 'application/json' },
  });
}

describe('the JSON body parser', () => {
  let cleave: FastifyInstance;
  let fastify: FastifyInstance;
  beforeAll(async () => {
    cleave = await echoApp('cleave');
    fastify = await echoApp('fastify');
  });
  afterAll(async () => {
    await cleave.close();
    await fastify.close();
  });

  // Plain bodies take the JSON.parse-only path; the others go through Fastify's parser. Either way
  // the answer is Fastify's, whose parser refuses prototype keys however they are spelled.
  it.each([
    [
      'a plain context',
      '{"context":{"targetingKey":"user-1","country":"NL","n":1.5,"tags":["a",null,true]}}',
    ],
    ['an empty object', '{}'],
    ['a bare value', '42'],
    ['a string', '"text"'],
    ['null', 'null'],
    ['"constructor" as a value', '{"context":{"role":"constructor","x":"__proto__"}}'],
    ['a "constructor" key without "prototype"', '{"constructor":{"name":"x"}}'],
    ['escaped text', '{"context":{"name":"caf\\u00e9"}}'],
    ['a byte-order mark', '\uFEFF{"a":1}'],
    ['a literal __proto__ key', '{"a":1,"__proto__":{"admin":true}}'],
    ['an escaped __proto__ key', '{"\\u005f_proto__":{"admin":true}}'],
    ['constructor.prototype', '{"constructor":{"prototype":{"admin":true}}}'],
    ['an escaped constructor.prototype', '{"\\u0063onstructor":{"prototype":{"admin":true}}}'],
    ['broken JSON', '{"context":'],
    ['trailing text', '{"a":1} x'],
  ])('answers %s as Fastify’s own parser does', async (_name, payload) => {
    const [ours, reference] = await Promise.all([post(cleave, payload), post(fastify, payload)]);
    expect(ours.statusCode).toBe(reference.statusCode);
    if (reference.statusCode === 200) expect(ours.json()).toEqual(reference.json());
  });

  it('refuses an empty body, as Fastify does', async () => {
    const response = await post(cleave, '');
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('FST_ERR_CTP_EMPTY_JSON_BODY');
  });

  it('refuses nesting past the bound, on the plain path too', async () => {
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`;
    const response = await post(cleave, deep);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('levels deep');
    const shallow = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect((await post(cleave, shallow)).statusCode).toBe(200);
  });

  it('refuses text no database can store, which only escapes can carry', async () => {
    const response = await post(cleave, '{"name":"a\\u0000b"}');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('Strings and keys');
  });
});
