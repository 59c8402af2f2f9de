/**
 * @module The evaluation workloads, described once in neutral terms; each tool's harness in
 * `tools/` expresses them in its own configuration language.
 *
 * 1. `static`: a boolean flag with no rules; every unit gets `true`.
 * 2. `rule`: one rule with two attribute conditions, `country == "NL" && plan in ["pro", "team"]`,
 *    serving `true` (else `false`); the benchmark context matches it.
 * 3. `experiment`: a 50/50 experiment keyed by the unit id, `false` (control) / `true`
 *    (treatment); every call evaluates a different unit from a pre-generated list.
 * 4. `many`: a config of 1,000 flags, each a rule like (2) on a country that varies by flag
 *    (one flag in five matches the benchmark context); each call evaluates a flag drawn at random
 *    from a pre-generated sequence.
 */

export const WORKLOADS = ['static', 'rule', 'experiment', 'many'] as const;
export type Workload = (typeof WORKLOADS)[number];

export const WORKLOAD_DESCRIPTIONS: Readonly<Record<Workload, string>> = {
  static: 'flag with no rules',
  rule: 'rule with 2 attribute conditions, matching',
  experiment: '50/50 experiment, new unit id each call',
  many: 'random flag out of 1,000',
};

export const STATIC_FLAG = 'static-flag';
export const RULE_FLAG = 'rule-flag';
export const EXPERIMENT_FLAG = 'experiment-flag';
export const EXPERIMENT_KEY = 'checkout-experiment';

export const PLANS_TARGETED = ['pro', 'team'] as const;
export const MANY_FLAG_COUNT = 1000;
/** Flag i of the `many` workload targets `MANY_COUNTRIES[i % 5]`. */
export const MANY_COUNTRIES = ['NL', 'DE', 'FR', 'US', 'JP'] as const;

/** The flag keys of the `many` workload: `flag-0000` … `flag-0999`. */
export const MANY_FLAG_KEYS: readonly string[] = Array.from(
  { length: MANY_FLAG_COUNT },
  (_, index) => `flag-${String(index).padStart(4, '0')}`,
);

/** What every tool needs to know about a unit; each harness maps it to its own context shape. */
export interface UnitAttributes {
  readonly id: string;
  readonly country: string;
  readonly plan: string;
}

/** The context of the `static`, `rule` and `many` workloads; it matches the rule. */
export const MATCHING_UNIT: UnitAttributes = { id: 'user-42', country: 'NL', plan: 'pro' };

/** Pre-generated inputs are indexed with `i & INPUT_MASK`; a power of two keeps that cheap. */
export const INPUT_COUNT = 1 << 16;
export const INPUT_MASK = INPUT_COUNT - 1;

/** Distinct units for the experiment workload (generated up front so generation is not timed). */
export const EXPERIMENT_UNITS: readonly UnitAttributes[] = Array.from(
  { length: INPUT_COUNT },
  (_, index) => ({
    id: `user-${index}`,
    country: 'NL',
    plan: 'pro',
  }),
);

/** Deterministic PRNG (mulberry32), so every run and every tool draws the same flags. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(0xc1ea7e);

/** The flag drawn by call i of the `many` workload is `MANY_FLAG_KEYS[MANY_DRAWS[i & INPUT_MASK]]`. */
export const MANY_DRAWS: Int32Array = Int32Array.from({ length: INPUT_COUNT }, () =>
  Math.floor(random() * MANY_FLAG_COUNT),
);

/** The flag keys in draw order, so a loop reads one array instead of two. */
export const MANY_DRAWN_KEYS: readonly string[] = Array.from(
  MANY_DRAWS,
  (index) => MANY_FLAG_KEYS[index] ?? '',
);

/** Whether flag `index` of the `many` workload serves `true` to `unit` (the reference answer). */
export function manyFlagMatches(index: number, unit: UnitAttributes): boolean {
  return (
    unit.country === MANY_COUNTRIES[index % MANY_COUNTRIES.length] &&
    (PLANS_TARGETED as readonly string[]).includes(unit.plan)
  );
}

/** A tool's benchmark harness: the answers it gives (for the tests) and its timed loops. */
export interface EvaluationHarness {
  readonly name: string;
  /** The boolean the tool serves for `flagKey` to `unit`; the loops evaluate exactly this. */
  answer(flagKey: string, unit: UnitAttributes): boolean;
  /** One timed loop per workload: runs n evaluations and returns a checksum of the answers. */
  readonly loops: Readonly<Record<Workload, (iterations: number) => number>>;
  close(): void;
}
