/**
 * @module The regular-expression engine of the `matches` operator, shared by the server and the
 * SDKs so that both answer alike (docs/conditions.md lists the syntax).
 *
 * A pattern compiles to a Thompson NFA that is simulated breadth-first (a Pike VM without
 * captures): every NFA state is visited at most twice per input position, so one search costs at
 * most `2 × program size × (input length + 1)` steps whatever the pattern, where a backtracking
 * engine such as `RegExp` can take exponential time (`(a+)+$`). `matches` only asks whether a match
 * exists, so captures and greedy/lazy preferences, which would need thread priorities, are moot.
 */
import { CharSet, isWordUnit, normalizeRanges } from './char-set.js';
import * as Program from './compile-program.js';
import { parseRegex } from './parse-regex.js';

// Module-local copies: a CommonJS build (or a bundler's interop) turns imported bindings into
// getter calls, which the matcher's loop would pay on every step.
const UNIT = Program.OP_UNIT;
const SET = Program.OP_SET;
const SPLIT = Program.OP_SPLIT;
const JUMP = Program.OP_JUMP;
const ASSERT = Program.OP_ASSERT;
const MATCH = Program.OP_MATCH;
const ASSERT_START = Program.ASSERT_START;
const ASSERT_END = Program.ASSERT_END;
const ASSERT_WORD_BOUNDARY = Program.ASSERT_WORD_BOUNDARY;

export { MAX_PROGRAM_SIZE } from './compile-program.js';
export { MAX_REPEAT_COUNT, RegexSyntaxError } from './parse-regex.js';

/**
 * A compiled pattern. Not reentrant by design: `test` is synchronous and reuses its work lists,
 * so matching allocates nothing.
 */
export class Regex {
  /** Steps taken by the last `test` (NFA states visited plus units compared): the cost proof in tests. */
  lastSteps = 0;

  private readonly ops: Uint8Array;
  private readonly args: Int32Array;
  private readonly args2: Int32Array;
  private readonly sets: readonly CharSet[];
  private readonly anchoredAtStart: boolean;
  /**
   * The units that can begin a match, or `null` when any position can (the empty string
   * matches): while no thread is alive, the search skips units outside this set.
   */
  private readonly firstUnits: CharSet | null;
  private current: Int32Array;
  private next: Int32Array;
  private readonly stack: Int32Array;
  /** Per state, the generation (one per input position) in which it was last added to a list. */
  private readonly marks: Uint32Array;
  private generation = 0;

  /** @throws RegexSyntaxError for a pattern outside the supported subset. */
  constructor(readonly source: string) {
    const program = Program.compileProgram(parseRegex(source), source);
    this.ops = program.ops;
    this.args = program.args;
    this.args2 = program.args2;
    this.sets = program.sets.map((ranges) => new CharSet(ranges));
    this.anchoredAtStart = program.anchoredAtStart;
    this.firstUnits = firstUnits(program);
    const size = program.ops.length;
    this.current = new Int32Array(size);
    this.next = new Int32Array(size);
    this.stack = new Int32Array(size);
    this.marks = new Uint32Array(size);
  }

  /** Instructions in the compiled program: one search costs at most `2 × programSize × (input length + 1)` steps. */
  get programSize(): number {
    return this.ops.length;
  }

  /** Whether the pattern matches somewhere in `input`, like `RegExp.prototype.test` without flags. */
  test(input: string): boolean {
    const { ops, args, args2, marks, stack, sets, firstUnits, anchoredAtStart } = this;
    const length = input.length;
    // Generations must be fresh for each of the length + 1 positions.
    if (this.generation > 0xffffffff - length - 2) {
      marks.fill(0);
      this.generation = 0;
    }
    let generation = ++this.generation;
    let current = this.current;
    let next = this.next;
    let count = 0;
    let steps = 0;
    let position = 0;
    // `stack` holds the states to follow at `position`; each is marked when pushed, so a state is
    // pushed (and later listed) at most once per position.
    let top = 1;
    stack[0] = 0;
    marks[0] = generation;
    for (;;) {
      // Follow jumps, splits and assertions; list the states that consume a unit.
      while (top > 0) {
        const pc = stack[--top] as number;
        steps++;
        const op = ops[pc];
        if (op === UNIT || op === SET) {
          current[count++] = pc;
        } else if (op === MATCH) {
          this.lastSteps = steps;
          this.generation = generation;
          return true;
        } else {
          const target =
            op === ASSERT ? (holds(args[pc] as number, input, position) ? pc + 1 : -1) : (args[pc] as number);
          if (target >= 0 && marks[target] !== generation) {
            marks[target] = generation;
            stack[top++] = target;
          }
          if (op === SPLIT) {
            const second = args2[pc] as number;
            if (marks[second] !== generation) {
              marks[second] = generation;
              stack[top++] = second;
            }
          }
        }
      }
      if (count === 0 && anchoredAtStart) break;
      if (position === length) break;
      const unit = input.charCodeAt(position);
      generation++;
      for (let i = 0; i < count; i++) {
        const pc = current[i] as number;
        steps++;
        const accepted =
          ops[pc] === UNIT ? unit === args[pc] : (sets[args[pc] as number] as CharSet).has(unit);
        if (accepted && marks[pc + 1] !== generation) {
          marks[pc + 1] = generation;
          stack[top++] = pc + 1;
        }
      }
      position++;
      if (!anchoredAtStart) {
        if (top === 0 && firstUnits !== null) {
          // No thread alive: a match can only begin at a unit in firstUnits.
          while (position < length && !firstUnits.has(input.charCodeAt(position))) {
            position++;
            steps++;
          }
        }
        // Unanchored search: a new thread starts at every position.
        if (marks[0] !== generation) {
          marks[0] = generation;
          stack[top++] = 0;
        }
      }
      const swap = current;
      current = next;
      next = swap;
      count = 0;
    }
    this.current = current;
    this.next = next;
    this.lastSteps = steps;
    this.generation = generation;
    return false;
  }
}

/**
 * The union of what the consuming instructions reachable from the start accept, with every
 * assertion taken as passable (a superset is safe); `null` if Match is reachable without input.
 */
function firstUnits(program: Program.Program): CharSet | null {
  const { ops, args, args2, sets } = program;
  const seen = new Uint8Array(ops.length);
  const pending = [0];
  const ranges: number[] = [];
  for (let pc = pending.pop(); pc !== undefined; pc = pending.pop()) {
    if (seen[pc] === 1) continue;
    seen[pc] = 1;
    const arg = args[pc] as number;
    switch (ops[pc]) {
      case UNIT:
        ranges.push(arg, arg);
        break;
      case SET:
        ranges.push(...(sets[arg] as readonly number[]));
        break;
      case MATCH:
        return null;
      case JUMP:
        pending.push(arg);
        break;
      case SPLIT:
        pending.push(arg, args2[pc] as number);
        break;
      case ASSERT:
        pending.push(pc + 1);
        break;
    }
  }
  return new CharSet(normalizeRanges(ranges));
}

function holds(assertion: number, input: string, position: number): boolean {
  if (assertion === ASSERT_START) return position === 0;
  if (assertion === ASSERT_END) return position === input.length;
  const before = position > 0 && isWordUnit(input.charCodeAt(position - 1));
  const after = position < input.length && isWordUnit(input.charCodeAt(position));
  return (before !== after) === (assertion === ASSERT_WORD_BOUNDARY);
}

/**
 * Compiles `pattern` for the `matches` operator.
 *
 * @throws RegexSyntaxError for a pattern outside the supported subset (the message says why).
 * @example
 * compileRegex('^user-\\d+$').test('user-42'); // true
 */
export function compileRegex(pattern: string): Regex {
  return new Regex(pattern);
}
