/**
 * @module features/definitions/definition-record
 * The envelope every managed definition (flag, segment, layer, experiment, metric) is stored in:
 * the validated domain document plus the metadata lists filter and sort on.
 */
export interface DefinitionRecord<T> {
  id: string;
  projectId: string;
  key: string;
  name: string;
  description: string;
  tags: string[];
  /** `active` or `archived`; experiments: `draft`, `running`, `stopped`, `archived`. */
  status: string;
  definition: T;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface NewDefinition<T> {
  id: string;
  projectId: string;
  key: string;
  name: string;
  description: string;
  tags: string[];
  status: string;
  definition: T;
  now: string;
}

export interface DefinitionChange<T> {
  name?: string;
  description?: string;
  tags?: string[];
  status?: string;
  definition?: T;
}

export interface DefinitionQuery {
  status?: readonly string[];
  /** Only these keys. */
  keys?: readonly string[];
  tag?: string;
  /** Case-insensitive substring of key or name. */
  search?: string;
  /** Keys sort the list; `after` is the last key of the previous page. */
  after?: string;
  limit?: number;
}
