/**
 * @module Condition operators and the limits of condition lists; zod-free, so that the compile
 * step can check conditions without the model's schemas.
 */

export const EQUALITY_OPERATORS = ['eq', 'neq'] as const;
export const MEMBERSHIP_OPERATORS = ['in', 'not_in'] as const;
export const AFFIX_OPERATORS = ['starts_with', 'ends_with'] as const;
export const ORDER_OPERATORS = ['gt', 'gte', 'lt', 'lte'] as const;
export const SEMVER_OPERATORS = [
  'semver_eq',
  'semver_neq',
  'semver_gt',
  'semver_gte',
  'semver_lt',
  'semver_lte',
] as const;
export const PRESENCE_OPERATORS = ['exists', 'not_exists'] as const;

/** Every attribute operator. */
export const OPERATORS = [
  ...EQUALITY_OPERATORS,
  ...MEMBERSHIP_OPERATORS,
  'contains',
  ...AFFIX_OPERATORS,
  'matches',
  ...ORDER_OPERATORS,
  ...SEMVER_OPERATORS,
  ...PRESENCE_OPERATORS,
] as const;

export const MAX_LIST_VALUES = 10_000;

/**
 * How deeply combinators may nest. Real targeting needs three or four levels; the limit keeps
 * evaluation's recursion (in every SDK) far from any stack limit.
 */
export const MAX_CONDITION_DEPTH = 10;
