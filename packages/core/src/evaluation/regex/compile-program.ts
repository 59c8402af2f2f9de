/**
 * @module Syntax tree → Thompson NFA, laid out as a program for the matcher (Pike VM style).
 *
 * Counted repetitions are expanded (`a{3}` is `aaa`), so the program can be much larger than the
 * pattern; its size is capped, because matching costs program size × input length.
 */
import type { AssertionKind, RegexNode } from './parse-regex.js';
import { RegexSyntaxError } from './parse-regex.js';

/** Most instructions a pattern may compile to. */
export const MAX_PROGRAM_SIZE = 2000;

// Instructions (plain numbers: the matcher's loop switches on them).
/** Consumes one unit equal to `arg`. */
export const OP_UNIT = 0;
/** Consumes one unit in set number `arg`. */
export const OP_SET = 1;
/** Continues at `arg` and at `arg2`. */
export const OP_SPLIT = 2;
/** Continues at `arg`. */
export const OP_JUMP = 3;
/** Continues at the next instruction if assertion `arg` holds at the current position. */
export const OP_ASSERT = 4;
/** The pattern has matched. */
export const OP_MATCH = 5;

export const ASSERT_START = 0;
export const ASSERT_END = 1;
export const ASSERT_WORD_BOUNDARY = 2;
export const ASSERT_NOT_WORD_BOUNDARY = 3;

const ASSERTIONS: Readonly<Record<AssertionKind, number>> = {
  start: ASSERT_START,
  end: ASSERT_END,
  word_boundary: ASSERT_WORD_BOUNDARY,
  not_word_boundary: ASSERT_NOT_WORD_BOUNDARY,
};

/** A compiled pattern. Consuming instructions always continue at the next instruction. */
export interface Program {
  readonly ops: Uint8Array;
  readonly args: Int32Array;
  readonly args2: Int32Array;
  /** The sets that `OP_SET` instructions refer to, as code-unit ranges. */
  readonly sets: readonly (readonly number[])[];
  /** Whether every match must start at offset 0 (the pattern begins with `^` outside any alternation). */
  readonly anchoredAtStart: boolean;
}

class Emitter {
  readonly ops: number[] = [];
  readonly args: number[] = [];
  readonly args2: number[] = [];
  readonly sets: (readonly number[])[] = [];

  constructor(private readonly pattern: string) {}

  emit(op: number, arg = 0, arg2 = 0): number {
    if (this.ops.length >= MAX_PROGRAM_SIZE) {
      throw new RegexSyntaxError(
        `is too large once its repetitions are expanded (more than ${MAX_PROGRAM_SIZE} instructions); use smaller counts`,
        this.pattern.length,
      );
    }
    this.ops.push(op);
    this.args.push(arg);
    this.args2.push(arg2);
    return this.ops.length - 1;
  }

  node(node: RegexNode): void {
    switch (node.type) {
      case 'empty':
        return;
      case 'unit':
        this.emit(OP_UNIT, node.unit);
        return;
      case 'set':
        this.sets.push(node.ranges);
        this.emit(OP_SET, this.sets.length - 1);
        return;
      case 'assertion':
        this.emit(OP_ASSERT, ASSERTIONS[node.kind]);
        return;
      case 'concat':
        for (const item of node.items) this.node(item);
        return;
      case 'alternation':
        this.alternation(node.options);
        return;
      case 'repeat':
        this.repeat(node.item, node.min, node.max);
        return;
    }
  }

  private alternation(options: readonly RegexNode[]): void {
    const jumpsToEnd: number[] = [];
    for (let i = 0; i < options.length - 1; i++) {
      const split = this.emit(OP_SPLIT);
      this.args[split] = this.ops.length;
      this.node(options[i] as RegexNode);
      jumpsToEnd.push(this.emit(OP_JUMP));
      this.args2[split] = this.ops.length;
    }
    this.node(options[options.length - 1] as RegexNode);
    for (const jump of jumpsToEnd) this.args[jump] = this.ops.length;
  }

  private repeat(item: RegexNode, min: number, max: number): void {
    for (let i = 0; i < min; i++) this.node(item);
    if (max === Number.POSITIVE_INFINITY) {
      // loop: split body, exit; body; jump loop
      const loop = this.emit(OP_SPLIT);
      this.args[loop] = this.ops.length;
      this.node(item);
      this.emit(OP_JUMP, loop);
      this.args2[loop] = this.ops.length;
      return;
    }
    // Optional copies nest (x(x(x)?)?)?, and every split exits to the common end.
    const splits: number[] = [];
    for (let i = min; i < max; i++) {
      const split = this.emit(OP_SPLIT);
      this.args[split] = this.ops.length;
      splits.push(split);
      this.node(item);
    }
    for (const split of splits) this.args2[split] = this.ops.length;
  }
}

function startsWithAnchor(node: RegexNode): boolean {
  if (node.type === 'assertion') return node.kind === 'start';
  if (node.type === 'concat') return node.items[0] !== undefined && startsWithAnchor(node.items[0]);
  if (node.type === 'alternation') return node.options.every(startsWithAnchor);
  return false;
}

/**
 * Compiles a parsed pattern (the source is used in error messages).
 *
 * @throws RegexSyntaxError when the program would exceed MAX_PROGRAM_SIZE.
 */
export function compileProgram(tree: RegexNode, pattern: string): Program {
  const emitter = new Emitter(pattern);
  emitter.node(tree);
  emitter.emit(OP_MATCH);
  return {
    ops: Uint8Array.from(emitter.ops),
    args: Int32Array.from(emitter.args),
    args2: Int32Array.from(emitter.args2),
    sets: emitter.sets,
    anchoredAtStart: startsWithAnchor(tree),
  };
}
