/**
 * @module Conditions on context attributes, their combinators and segment references.
 *
 * A condition on an absent (or null) attribute never matches, except `not_exists`; negative
 * operators (`neq`, `not_in`) included, so that a rule written for "country is not US" does not
 * silently catch every unit whose country is unknown. Write `any: [not_exists, neq]` to catch them.
 * Values are compared strictly: the number 5 does not equal the string "5".
 */
import { z } from 'zod';
import { parseIsoDate } from '../evaluation/iso-date.js';
import { parseSemver } from '../evaluation/semver.js';
import { checkRegexPattern } from './check-regex-pattern.js';
import { AttributeSchema, KeySchema } from './key.js';
import {
  AFFIX_OPERATORS,
  EQUALITY_OPERATORS,
  MAX_CONDITION_DEPTH,
  MAX_LIST_VALUES,
  MEMBERSHIP_OPERATORS,
  type OPERATORS,
  ORDER_OPERATORS,
  PRESENCE_OPERATORS,
  SEMVER_OPERATORS,
} from './operators.js';

export {
  AFFIX_OPERATORS,
  EQUALITY_OPERATORS,
  MAX_CONDITION_DEPTH,
  MAX_LIST_VALUES,
  MEMBERSHIP_OPERATORS,
  OPERATORS,
  ORDER_OPERATORS,
  PRESENCE_OPERATORS,
  SEMVER_OPERATORS,
} from './operators.js';

export type Operator = (typeof OPERATORS)[number];
export type OrderOperator = (typeof ORDER_OPERATORS)[number];
export type SemverOperator = (typeof SEMVER_OPERATORS)[number];

/** A scalar a condition compares with. */
export type ConditionScalar = string | number | boolean;

const ScalarSchema = z.union([z.string().max(1000), z.number(), z.boolean()]);

const OrderValueSchema = z.union([
  z.number(),
  z
    .string()
    .refine((text) => !Number.isNaN(parseIsoDate(text)), { message: 'must be a number or an ISO-8601 date' }),
]);

const SemverValueSchema = z
  .string()
  .refine((text) => parseSemver(text) !== undefined, { message: 'must be a semantic version (1.2.3[-pre])' });

const PatternSchema = z.string().superRefine((pattern, context) => {
  const problem = checkRegexPattern(pattern);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

/** A test of one context attribute. */
export const AttributeConditionSchema = z.discriminatedUnion('operator', [
  z.object({ attribute: AttributeSchema, operator: z.enum(EQUALITY_OPERATORS), value: ScalarSchema }),
  z.object({
    attribute: AttributeSchema,
    operator: z.enum(MEMBERSHIP_OPERATORS),
    value: z.array(ScalarSchema).min(1).max(MAX_LIST_VALUES),
  }),
  // On a string attribute: substring. On an array attribute: element membership.
  z.object({ attribute: AttributeSchema, operator: z.literal('contains'), value: ScalarSchema }),
  z.object({ attribute: AttributeSchema, operator: z.enum(AFFIX_OPERATORS), value: z.string().max(1000) }),
  z.object({ attribute: AttributeSchema, operator: z.literal('matches'), value: PatternSchema }),
  // A number compares numbers; an ISO date compares dates (attribute as ISO text or epoch ms).
  z.object({ attribute: AttributeSchema, operator: z.enum(ORDER_OPERATORS), value: OrderValueSchema }),
  z.object({ attribute: AttributeSchema, operator: z.enum(SEMVER_OPERATORS), value: SemverValueSchema }),
  z.object({ attribute: AttributeSchema, operator: z.enum(PRESENCE_OPERATORS) }),
]);

export type AttributeCondition = z.infer<typeof AttributeConditionSchema>;

/** A condition: an attribute test, a combinator, or a reference to a segment. */
export type Condition =
  | AttributeCondition
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { segment: string };

// The id names the recursive schema where OpenAPI documents need it (`#/components/schemas/Condition`).
export const ConditionSchema: z.ZodType<Condition> = z
  .lazy(() =>
    z.union([
      AttributeConditionSchema,
      z.object({ all: z.array(ConditionSchema).min(1) }),
      z.object({ any: z.array(ConditionSchema).min(1) }),
      z.object({ not: ConditionSchema }),
      z.object({ segment: KeySchema }),
    ]),
  )
  .meta({ id: 'Condition' });

/** Path (below the list) of the first condition nested deeper than MAX_CONDITION_DEPTH. */
function firstTooDeep(conditions: readonly Condition[]): PropertyKey[] | undefined {
  // Iterative, so that measuring a hostile structure cannot exhaust the stack itself.
  const pending: { condition: Condition; path: PropertyKey[]; depth: number }[] = conditions.map(
    (condition, i) => ({
      condition,
      path: [i],
      depth: 1,
    }),
  );
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { condition, path, depth } = next;
    if (depth > MAX_CONDITION_DEPTH) return path;
    const children = 'all' in condition ? condition.all : 'any' in condition ? condition.any : undefined;
    const key = 'all' in condition ? 'all' : 'any';
    if (children !== undefined) {
      for (const [i, child] of children.entries())
        pending.push({ condition: child, path: [...path, key, i], depth: depth + 1 });
    } else if ('not' in condition) {
      pending.push({ condition: condition.not, path: [...path, 'not'], depth: depth + 1 });
    }
  }
  return undefined;
}

/** Conditions of a rule or segment: all must match. */
export const ConditionListSchema = z
  .array(ConditionSchema)
  .max(100)
  .superRefine((conditions, context) => {
    const path = firstTooDeep(conditions);
    if (path !== undefined) {
      context.addIssue({
        code: 'custom',
        path,
        message: `conditions nest deeper than ${MAX_CONDITION_DEPTH} levels`,
      });
    }
  });
