/**
 * @module features/definitions/service
 * The use cases every keyed definition shares (segments, layers, holdouts, metrics; flags and
 * experiments build on it): validate with `@cleave/core`, check the project's whole set stays
 * consistent, save with optimistic concurrency, and record the change (audit, SDK config version,
 * webhooks) in the same transaction.
 */
import type { ValidationIssue, ValidationResult } from '@cleave/core';
import type { DefinitionTableName } from '../../adapters/sql/database.js';
import type { SqlExecutor, Transactor } from '../../adapters/sql/transactor.js';
import { actorOf, type Principal } from '../../domain/principal.js';
import type { Project } from '../../domain/project.js';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors.js';
import type { Change, ChangeRecorder, ChangeScope } from '../changes/change-recorder.js';
import type { DefinitionQuery, DefinitionRecord } from './definition-record.js';
import { issuesAfterChange, type SetMember } from './definition-set.js';
import { KyselyDefinitionStore } from './store.js';

/** The fields every definition document has, whatever its kind. */
export interface KeyedDefinition {
  key: string;
  name?: string | undefined;
  description?: string | undefined;
}

/** What every definition service is built on. */
export interface DefinitionServiceOptions {
  transactor: Transactor;
  changes: ChangeRecorder;
}

/** One definition replaced by a whole new document (see `DefinitionService.replace`). */
export interface Replacement<T> {
  project: Project;
  current: DefinitionRecord<T>;
  candidate: unknown;
  expectedVersion: number;
  caller: Caller;
  /** The change's verb: `flag.${verb}`. */
  verb: string;
  tags?: string[] | undefined;
  status?: string;
  /** Environments whose SDK config changes; default: as the kind says. */
  environments?: readonly string[];
  /** More writes in the same transaction (e.g. an experiment's decision rolled out to its flags). */
  beforeSave?: (scope: ChangeScope) => Promise<void>;
}

export interface DefinitionKind<T extends KeyedDefinition> {
  table: DefinitionTableName;
  /** Singular noun in messages, audit resource types and webhook events (`segment.updated`). */
  noun: string;
  validate(input: unknown): ValidationResult<T>;
  /** Where the definition sits in core's DefinitionSet; absent for metrics (not in SDK config). */
  setMember?: SetMember;
  initialStatus: string;
  /** Every status it can have, for list filters (default `active`, `archived`). */
  statuses?: readonly string[];
}

const PLAIN_STATUSES = ['active', 'archived'] as const;

/** Who is acting, for audit. */
export interface Caller {
  principal: Principal | undefined;
  requestId: string | null;
}

export type DefinitionInput<T> = T & { tags?: string[] };

export class DefinitionService<T extends KeyedDefinition> {
  constructor(
    protected readonly options: DefinitionServiceOptions,
    protected readonly kind: DefinitionKind<T>,
  ) {}

  /** The statuses a list may filter on: any other value is a mistake, not an empty list. */
  get statuses(): readonly string[] {
    return this.kind.statuses ?? PLAIN_STATUSES;
  }

  /** This kind's store, on the database or on a transaction. */
  protected store(db: SqlExecutor = this.options.transactor.db): KyselyDefinitionStore<T> {
    return new KyselyDefinitionStore<T>(db, this.kind.table);
  }

  async list(project: Project, query: DefinitionQuery, db?: SqlExecutor): Promise<DefinitionRecord<T>[]> {
    return this.store(db).list(project.id, query);
  }

  async get(project: Project, key: string): Promise<DefinitionRecord<T>> {
    const record = await this.store().get(project.id, key);
    if (!record)
      throw new NotFoundError(`Project "${project.key}" has no ${this.kind.noun} "${key}".`, { key });
    return record;
  }

  async create(
    project: Project,
    input: DefinitionInput<unknown>,
    caller: Caller,
  ): Promise<DefinitionRecord<T>> {
    const { tags, ...body } = input as { tags?: string[] } & Record<string, unknown>;
    const definition = await this.prepare(project, body);
    return this.options.changes.transaction(async ({ tx, record, now, newId }) => {
      await this.checkSet(tx, project, definition.key, definition);
      const created = await this.store(tx).create({
        id: newId(),
        projectId: project.id,
        key: definition.key,
        name: definition.name ?? definition.key,
        description: definition.description ?? '',
        tags: tags ?? [],
        status: this.kind.initialStatus,
        definition,
        now,
      });
      await record(this.change(project, caller, 'created', created, null));
      return created;
    });
  }

  /**
   * JSON Merge Patch of `patch` over the current definition (a `null` field removes it), then the
   * same checks as create.
   */
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
    return this.replace({
      project,
      current,
      candidate: mergePatch(current.definition, fields),
      expectedVersion,
      caller,
      verb: 'updated',
      tags,
    });
  }

  async setArchived(
    project: Project,
    key: string,
    archived: boolean,
    expectedVersion: number,
    caller: Caller,
  ): Promise<DefinitionRecord<T>> {
    const current = await this.get(project, key);
    return this.options.changes.transaction(async ({ tx, record, now }) => {
      await this.checkArchiving(tx, project, current, archived);
      if (archived && this.kind.setMember) {
        const issues = await issuesAfterChange(tx, project.id, {
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
      const updated = await this.store(tx).update(
        project.id,
        key,
        { status: archived ? 'archived' : this.restoredStatus(current) },
        expectedVersion,
        now,
      );
      await record(this.change(project, caller, archived ? 'archived' : 'restored', updated, current));
      return updated;
    });
  }

  /** Kind-specific rules for archiving or restoring, checked in the write's transaction. */
  protected async checkArchiving(
    _tx: SqlExecutor,
    _project: Project,
    _current: DefinitionRecord<T>,
    _archived: boolean,
  ): Promise<void> {}

  /** The status a restored (un-archived) definition returns to. */
  protected restoredStatus(_current: DefinitionRecord<T>): string {
    return this.kind.initialStatus;
  }

  /** Validates and saves a whole new definition in place of `current`, in a transaction of its own. */
  protected async replace(replacement: Replacement<T>): Promise<DefinitionRecord<T>> {
    const definition = await this.prepare(replacement.project, replacement.candidate);
    return this.options.changes.transaction((scope) => this.replaceIn(scope, replacement, definition));
  }

  /**
   * The same inside a transaction someone else opened (an experiment's decision rewriting its
   * flags): validated, checked against the project's set, saved and recorded in that transaction.
   */
  protected async replaceIn(
    scope: ChangeScope,
    replacement: Replacement<T>,
    prepared?: T,
  ): Promise<DefinitionRecord<T>> {
    const { project, current, caller } = replacement;
    const definition = prepared ?? (await this.prepare(project, replacement.candidate, scope.tx));
    if (current.status !== 'archived') await this.checkSet(scope.tx, project, current.key, definition);
    await replacement.beforeSave?.(scope);
    const updated = await this.store(scope.tx).update(
      project.id,
      current.key,
      {
        definition,
        name: definition.name ?? current.key,
        description: definition.description ?? '',
        ...(replacement.tags !== undefined && { tags: replacement.tags }),
        ...(replacement.status !== undefined && { status: replacement.status }),
      },
      replacement.expectedVersion,
      scope.now,
    );
    await scope.record(
      this.change(project, caller, replacement.verb, updated, current, replacement.environments),
    );
    return updated;
  }

  /**
   * Validates one definition on its own; subclasses add project-level checks, reading on `db` (the
   * caller's transaction when there is one: SQLite has one connection, so a read beside an open
   * transaction would wait for it forever).
   */
  protected async prepare(_project: Project, input: unknown, _db?: SqlExecutor): Promise<T> {
    const result = this.kind.validate(input);
    if (!result.ok)
      throw invalid(
        this.kind.noun,
        result.issues.map((issue) => ({ ...issue, path: `/body${issue.path}` })),
      );
    return result.value;
  }

  protected async checkSet(tx: SqlExecutor, project: Project, key: string, definition: T): Promise<void> {
    if (!this.kind.setMember) return;
    const issues = await issuesAfterChange(tx, project.id, {
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

/** RFC 7396 at the top level: a field set to `null` is removed, any other replaces the current one. */
function mergePatch(current: object, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete merged[field];
    else if (value !== undefined) merged[field] = value;
  }
  return merged;
}
