/**
 * @module features/definitions/service
 * The use cases every keyed definition shares (segments, layers, holdouts, metrics; flags and
 * experiments build on it): validate with `@cleave/core`, check the project's whole set stays
 * consistent, save with optimistic concurrency, and record the change (audit, SDK config version,
 * webhooks) in the same transaction.
 */
import type { ValidationIssue, ValidationResult } from '@cleave/core';
import type { DefinitionTableName } from '../../adapters/sql/database.js';
import { actorOf, type Principal } from '../../domain/principal.js';
import type { Project } from '../../domain/project.js';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors.js';
import { changeInTransaction, type ServiceContext } from '../../service-context.js';
import type { Stores } from '../../stores.js';
import type { Change } from '../changes/record-change.js';
import type { DefinitionQuery, DefinitionRecord } from './definition-record.js';
import { issuesAfterChange, type SetMember } from './definition-set.js';

export interface Named {
  key: string;
  name?: string | undefined;
  description?: string | undefined;
}

export interface DefinitionKind<T extends Named> {
  table: DefinitionTableName;
  /** Singular noun in messages, audit resource types and webhook events (`segment.updated`). */
  noun: string;
  validate(input: unknown): ValidationResult<T>;
  /** Where the definition sits in core's DefinitionSet; absent for metrics (not in SDK config). */
  setMember?: SetMember;
  initialStatus: string;
}

/** Who is acting, for audit. */
export interface Caller {
  principal: Principal | undefined;
  requestId: string | null;
}

export type DefinitionInput<T> = T & { tags?: string[] };

export class DefinitionService<T extends Named> {
  constructor(
    protected readonly context: ServiceContext,
    protected readonly kind: DefinitionKind<T>,
  ) {}

  async list(project: Project, query: DefinitionQuery): Promise<DefinitionRecord<T>[]> {
    return (await this.context.stores[this.kind.table].list(project.id, query)) as DefinitionRecord<T>[];
  }

  async get(project: Project, key: string): Promise<DefinitionRecord<T>> {
    const record = await this.context.stores[this.kind.table].get(project.id, key);
    if (!record)
      throw new NotFoundError(`Project "${project.key}" has no ${this.kind.noun} "${key}".`, { key });
    return record as DefinitionRecord<T>;
  }

  async create(
    project: Project,
    input: DefinitionInput<unknown>,
    caller: Caller,
  ): Promise<DefinitionRecord<T>> {
    const { tags, ...body } = input as { tags?: string[] } & Record<string, unknown>;
    const definition = await this.prepare(project, body);
    return changeInTransaction(this.context, async (stores, record, now) => {
      await this.checkSet(stores, project, definition.key, definition);
      const created = (await stores[this.kind.table].create({
        id: this.context.newId(),
        projectId: project.id,
        key: definition.key,
        name: definition.name ?? definition.key,
        description: definition.description ?? '',
        tags: tags ?? [],
        status: this.kind.initialStatus,
        definition,
        now,
      })) as DefinitionRecord<T>;
      await record(this.change(project, caller, 'created', created, null));
      return created;
    });
  }

  /** Shallow merge of `patch` over the current definition, then the same checks as create. */
  async update(
    project: Project,
    key: string,
    patch: Record<string, unknown> & { tags?: string[] },
    expectedVersion: number,
    caller: Caller,
  ): Promise<DefinitionRecord<T>> {
    if (patch.key !== undefined && patch.key !== key) {
      throw new ValidationError('Keys cannot change: create a new one and archive this one.', {
        issues: [{ path: '/body/key', message: `must stay "${key}"` }],
      });
    }
    const current = await this.get(project, key);
    const { tags, ...fields } = patch;
    return this.replace(
      project,
      current,
      { ...current.definition, ...fields },
      expectedVersion,
      caller,
      'updated',
      tags,
    );
  }

  async setArchived(
    project: Project,
    key: string,
    archived: boolean,
    expectedVersion: number,
    caller: Caller,
  ): Promise<DefinitionRecord<T>> {
    const current = await this.get(project, key);
    return changeInTransaction(this.context, async (stores, record, now) => {
      if (archived && this.kind.setMember) {
        const issues = await issuesAfterChange(stores, project.id, {
          member: this.kind.setMember,
          key,
          remove: true,
        });
        if (issues.length > 0) {
          throw new ConflictError(
            `The ${this.kind.noun} "${key}" is still in use; remove the references first.`,
            { issues },
          );
        }
      }
      const updated = (await stores[this.kind.table].update(
        project.id,
        key,
        { status: archived ? 'archived' : this.restoredStatus(current) },
        expectedVersion,
        now,
      )) as DefinitionRecord<T>;
      await record(this.change(project, caller, archived ? 'archived' : 'restored', updated, current));
      return updated;
    });
  }

  /** The status a restored (un-archived) definition returns to. */
  protected restoredStatus(_current: DefinitionRecord<T>): string {
    return this.kind.initialStatus;
  }

  /** Validates and saves a whole new definition in place of `current`. */
  protected async replace(
    project: Project,
    current: DefinitionRecord<T>,
    candidate: unknown,
    expectedVersion: number,
    caller: Caller,
    verb: string,
    tags?: string[],
    extra: {
      status?: string;
      /** Environments whose SDK config changes; default: as the kind says. */
      environments?: readonly string[];
      /** More writes in the same transaction (e.g. an experiment's decision rolled out to its flag). */
      beforeSave?: (stores: Stores, record: (change: Change) => Promise<unknown>) => Promise<void>;
    } = {},
  ): Promise<DefinitionRecord<T>> {
    const definition = await this.prepare(project, candidate);
    return changeInTransaction(this.context, async (stores, record, now) => {
      if (current.status !== 'archived') await this.checkSet(stores, project, current.key, definition);
      await extra.beforeSave?.(stores, record);
      const updated = (await stores[this.kind.table].update(
        project.id,
        current.key,
        {
          definition,
          name: definition.name ?? current.key,
          description: definition.description ?? '',
          ...(tags !== undefined && { tags }),
          ...(extra.status !== undefined && { status: extra.status }),
        },
        expectedVersion,
        now,
      )) as DefinitionRecord<T>;
      await record(this.change(project, caller, verb, updated, current, extra.environments));
      return updated;
    });
  }

  /** Validates one definition on its own; subclasses add project-level checks. */
  protected async prepare(_project: Project, input: unknown): Promise<T> {
    const result = this.kind.validate(input);
    if (!result.ok)
      throw invalid(
        this.kind.noun,
        result.issues.map((issue) => ({ ...issue, path: `/body${issue.path}` })),
      );
    return result.value;
  }

  protected async checkSet(stores: Stores, project: Project, key: string, definition: T): Promise<void> {
    if (!this.kind.setMember) return;
    const issues = await issuesAfterChange(stores, project.id, {
      member: this.kind.setMember,
      key,
      value: definition,
    });
    if (issues.length > 0) throw invalid(this.kind.noun, issues);
  }

  /** The change record: which SDK configs it touches (every environment, or none for metrics). */
  protected change(
    project: Project,
    caller: Caller,
    verb: string,
    after: DefinitionRecord<T>,
    before: DefinitionRecord<T> | null,
    environments?: 'all' | 'none' | readonly string[],
  ): Change {
    return {
      projectId: project.id,
      actor: actorOf(caller.principal),
      requestId: caller.requestId,
      action: `${this.kind.noun}.${verb}`,
      resourceType: this.kind.noun,
      resourceId: after.id,
      resourceKey: after.key,
      before,
      after,
      environments: environments ?? (this.kind.setMember ? 'all' : 'none'),
    };
  }
}

export function invalid(noun: string, issues: ValidationIssue[]): ValidationError {
  return new ValidationError(`The ${noun} is invalid.`, { issues });
}
