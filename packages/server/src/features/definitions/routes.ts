/**
 * @module features/definitions/routes
 * The REST shape every definition shares, as a plugin factory: list (filter + cursor), create,
 * read, patch (optimistic concurrency), archive and restore. Flags and experiments add their own
 * routes beside these.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ValidationError } from '../../http/errors.js';
import { decodeCursor, pageResponse, toPage } from '../../http/pagination.js';
import { expectedVersion, setEtag } from '../../http/version-precondition.js';
import { callerOf, currentProject } from '../access/request-context.js';
import type { DefinitionRecord } from './definition-record.js';
import { KeyParams, ListDefinitionsQuery, VersionBody } from './schemas.js';
import type { DefinitionInput, DefinitionService, KeyedDefinition } from './service.js';

export interface DefinitionRoutesOptions<T extends KeyedDefinition> {
  service: DefinitionService<T>;
  /** URL segment: `segments`. */
  path: string;
  /** OpenAPI tag and wording: `segment`. */
  noun: string;
  createBody: z.ZodType;
  patchBody: z.ZodType;
  response: z.ZodType;
}

/** A record as the API shows it: the definition's fields, with the envelope's over them. */
export function toDefinitionResponse<T extends KeyedDefinition>(record: DefinitionRecord<T>) {
  return {
    ...record.definition,
    key: record.key,
    name: record.name,
    description: record.description,
    tags: record.tags,
    status: record.status,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** Answers with a definition and its version as the ETag, for the next conditional write. */
export function sendDefinition<T extends KeyedDefinition>(reply: FastifyReply, record: DefinitionRecord<T>) {
  setEtag(reply, record.version);
  return toDefinitionResponse(record);
}

export function definitionRoutes<T extends KeyedDefinition>(
  options: DefinitionRoutesOptions<T>,
): FastifyPluginAsyncZod {
  const { service, path, noun } = options;
  const tags = [`${noun}s`];
  const collection = `/projects/:projectKey/${path}`;
  const item = `${collection}/:key`;
  return async (app) => {
    app.get(
      collection,
      {
        config: { access: { scope: 'project', permission: 'read' } },
        schema: {
          tags,
          summary: `List ${noun}s`,
          params: KeyParams.pick({ projectKey: true }),
          querystring: ListDefinitionsQuery,
          response: { 200: pageResponse(options.response) },
        },
      },
      async (request) => {
        const { limit, cursor, status, tag, search } = request.query;
        const after = decodeCursor(cursor);
        const statuses = status ? statusFilter(status, service.statuses) : undefined;
        const rows = await service.list(currentProject(request), {
          status: statuses ?? service.statuses.filter((candidate) => candidate !== 'archived'),
          tag,
          search,
          after: after === undefined ? undefined : String(after),
          limit: limit + 1,
        });
        return toPage(rows.map(toDefinitionResponse), limit, (row) => row.key);
      },
    );

    app.post(
      collection,
      {
        config: { access: { scope: 'project', permission: 'write' } },
        schema: {
          tags,
          summary: `Create a ${noun}`,
          params: KeyParams.pick({ projectKey: true }),
          body: options.createBody,
          response: { 201: options.response },
        },
      },
      async (request, reply) => {
        const created = await service.create(
          currentProject(request),
          request.body as DefinitionInput<T>,
          callerOf(request),
        );
        setEtag(reply, created.version);
        return reply.status(201).send(toDefinitionResponse(created));
      },
    );

    app.get(
      item,
      {
        config: { access: { scope: 'project', permission: 'read' } },
        schema: { tags, summary: `Read a ${noun}`, params: KeyParams, response: { 200: options.response } },
      },
      async (request, reply) => {
        const record = await service.get(currentProject(request), request.params.key);
        return sendDefinition(reply, record);
      },
    );

    app.patch(
      item,
      {
        config: { access: { scope: 'project', permission: 'write' } },
        schema: {
          tags,
          summary: `Change a ${noun} (fields given replace the current ones)`,
          params: KeyParams,
          body: options.patchBody,
          response: { 200: options.response },
        },
      },
      async (request, reply) => {
        const { version, ...patch } = request.body as { version?: number } & Record<string, unknown>;
        const updated = await service.update(
          currentProject(request),
          request.params.key,
          patch,
          expectedVersion(request, version),
          callerOf(request),
        );
        return sendDefinition(reply, updated);
      },
    );

    for (const [action, archived] of [
      ['archive', true],
      ['restore', false],
    ] as const) {
      app.post(
        `${item}/${action}`,
        {
          config: { access: { scope: 'project', permission: 'write' } },
          schema: {
            tags,
            summary: archived
              ? `Archive a ${noun} (refused while something uses it)`
              : `Restore an archived ${noun}`,
            params: KeyParams,
            body: VersionBody,
            response: { 200: options.response },
          },
        },
        async (request, reply) => {
          const updated = await service.setArchived(
            currentProject(request),
            request.params.key,
            archived,
            expectedVersion(request, request.body.version),
            callerOf(request),
          );
          return sendDefinition(reply, updated);
        },
      );
    }
  };
}

/** `?status=draft,running` → the statuses; an unknown one is a 400 naming the known ones. */
function statusFilter(status: string, known: readonly string[]): string[] {
  const statuses = status
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  const unknown = statuses.filter((value) => !known.includes(value));
  if (unknown.length > 0) {
    throw new ValidationError(`Unknown status ${unknown.map((value) => `"${value}"`).join(', ')}.`, {
      issues: [{ path: '/query/status', message: `must be a comma-separated list of ${known.join(', ')}` }],
    });
  }
  return statuses;
}
