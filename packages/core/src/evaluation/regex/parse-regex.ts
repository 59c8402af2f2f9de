/**
 * @module Parser for the regular-expression subset of the `matches` operator (docs/conditions.md).
 *
 * The subset is JavaScript's syntax without flags, minus everything that needs backtracking or
 * reads differently across engines: backreferences, lookaround, named groups, Unicode property
 * and control escapes, octal escapes, bare `{`. Every accepted pattern means the same in
 * JavaScript's `RegExp` (a property test checks this), so authors can try patterns anywhere.
 * Anything else is refused with a message saying what to write instead.
 */
import { complementRanges, DIGIT, DOT, normalizeRanges, type Ranges, SPACE, WORD } from './char-set.js';

/** Largest count allowed in `{n}`, `{n,}` and `{n,m}`. */
export const MAX_REPEAT_COUNT = 1000;

export type AssertionKind = 'start' | 'end' | 'word_boundary' | 'not_word_boundary';

/** Syntax tree. Groups leave no node: captures are irrelevant to a yes/no match. */
export type RegexNode =
  | { readonly type: 'empty' }
  | { readonly type: 'unit'; readonly unit: number }
  | { readonly type: 'set'; readonly ranges: Ranges }
  | { readonly type: 'assertion'; readonly kind: AssertionKind }
  | { readonly type: 'concat'; readonly items: readonly RegexNode[] }
  | { readonly type: 'alternation'; readonly options: readonly RegexNode[] }
  | { readonly type: 'repeat'; readonly item: RegexNode; readonly min: number; readonly max: number };

/** Why a pattern is not in the supported subset; the message completes "pattern …". */
export class RegexSyntaxError extends Error {
  constructor(message: string, position: number) {
    super(`${message} (at offset ${position})`);
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { t: 0x09, n: 0x0a, v: 0x0b, f: 0x0c, r: 0x0d };
const CLASS_ESCAPES: Readonly<Record<string, Ranges>> = {
  d: DIGIT,
  D: complementRanges(DIGIT),
  w: WORD,
  W: complementRanges(WORD),
  s: SPACE,
  S: complementRanges(SPACE),
};
const QUANTIFIER = /\{(\d+)(,(\d*))?\}/y;
const HEX2 = /^[0-9a-fA-F]{2}$/;
const HEX4 = /^[0-9a-fA-F]{4}$/;

function isAsciiPunctuation(character: string): boolean {
  return /^[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/.test(character);
}

class Parser {
  private position = 0;

  constructor(private readonly pattern: string) {}

  parse(): RegexNode {
    const node = this.parseAlternation();
    if (this.position < this.pattern.length) this.fail('has an unmatched ")"');
    return node;
  }

  private fail(message: string, at = this.position): never {
    throw new RegexSyntaxError(message, at);
  }

  private peek(offset = 0): string {
    return this.pattern[this.position + offset] ?? '';
  }

  /** The `{n}`, `{n,}` or `{n,m}` starting here, if any. */
  private quantifierAt(): RegExpExecArray | null {
    QUANTIFIER.lastIndex = this.position;
    return QUANTIFIER.exec(this.pattern);
  }

  private parseAlternation(): RegexNode {
    const options = [this.parseConcat()];
    while (this.peek() === '|') {
      this.position++;
      options.push(this.parseConcat());
    }
    return options.length === 1 ? (options[0] as RegexNode) : { type: 'alternation', options };
  }

  private parseConcat(): RegexNode {
    const items: RegexNode[] = [];
    while (this.position < this.pattern.length && this.peek() !== '|' && this.peek() !== ')') {
      const start = this.position;
      const atom = this.parseAtom();
      items.push(this.parseQuantifier(atom, start));
    }
    if (items.length === 0) return { type: 'empty' };
    return items.length === 1 ? (items[0] as RegexNode) : { type: 'concat', items };
  }

  private parseQuantifier(atom: RegexNode, atomStart: number): RegexNode {
    const character = this.peek();
    let min: number;
    let max: number;
    if (character === '*') {
      min = 0;
      max = Number.POSITIVE_INFINITY;
      this.position++;
    } else if (character === '+') {
      min = 1;
      max = Number.POSITIVE_INFINITY;
      this.position++;
    } else if (character === '?') {
      min = 0;
      max = 1;
      this.position++;
    } else if (character === '{') {
      const braces = this.quantifierAt();
      if (braces === null)
        this.fail('has a "{" that is not a repetition such as {2,5}; write \\{ for the character');
      min = Number(braces[1]);
      max = braces[2] === undefined ? min : braces[3] === '' ? Number.POSITIVE_INFINITY : Number(braces[3]);
      if (min > MAX_REPEAT_COUNT || (max !== Number.POSITIVE_INFINITY && max > MAX_REPEAT_COUNT)) {
        this.fail(`repeats more than ${MAX_REPEAT_COUNT} times`);
      }
      if (min > max) this.fail('has a repetition {n,m} with n greater than m');
      this.position += braces[0].length;
    } else {
      return atom;
    }
    // `(^)*` is fine (a group), a bare `^*` is a syntax error in JavaScript.
    if (atom.type === 'assertion' && this.pattern[atomStart] !== '(') {
      this.fail('repeats an anchor or word boundary', atomStart);
    }
    // A trailing `?` makes the quantifier lazy, which changes which match is found but not
    // whether one exists, the only question `matches` asks.
    if (this.peek() === '?') this.position++;
    const next = this.peek();
    if (next === '*' || next === '+' || next === '?' || (next === '{' && this.quantifierAt() !== null)) {
      this.fail('has a quantifier with nothing to repeat');
    }
    return { type: 'repeat', item: atom, min, max };
  }

  private parseAtom(): RegexNode {
    const character = this.peek();
    switch (character) {
      case '(':
        return this.parseGroup();
      case '[':
        return this.parseClass();
      case '.':
        this.position++;
        return { type: 'set', ranges: DOT };
      case '^':
        this.position++;
        return { type: 'assertion', kind: 'start' };
      case '$':
        this.position++;
        return { type: 'assertion', kind: 'end' };
      case '\\':
        return this.parseEscape();
      case '*':
      case '+':
      case '?':
        return this.fail('has a quantifier with nothing to repeat');
      case '{':
        if (this.quantifierAt() !== null) {
          this.fail('has a quantifier with nothing to repeat');
        }
        return this.fail('has a "{" that is not a repetition such as {2,5}; write \\{ for the character');
      default:
        this.position++;
        return { type: 'unit', unit: character.charCodeAt(0) };
    }
  }

  private parseGroup(): RegexNode {
    const open = this.position;
    this.position++;
    if (this.peek() === '?') {
      const kind = this.peek(1);
      if (kind === ':') {
        this.position += 2;
      } else if (
        kind === '=' ||
        kind === '!' ||
        (kind === '<' && (this.peek(2) === '=' || this.peek(2) === '!'))
      ) {
        this.fail('uses lookaround, which is not supported');
      } else if (kind === '<') {
        this.fail('uses a named group, which is not supported; use (...) or (?:...)');
      } else {
        this.fail('has an unsupported group "(?"; only (...) and (?:...) are supported');
      }
    }
    const inner = this.parseAlternation();
    if (this.peek() !== ')') this.fail('has an unterminated group', open);
    this.position++;
    return inner;
  }

  /** One escape outside a class: a set, an assertion or a single unit. */
  private parseEscape(): RegexNode {
    const kind = this.peek(1);
    if (kind === 'b' || kind === 'B') {
      this.position += 2;
      return { type: 'assertion', kind: kind === 'b' ? 'word_boundary' : 'not_word_boundary' };
    }
    const escaped = this.parseEscapeInClassOrNot(false);
    return typeof escaped === 'number' ? { type: 'unit', unit: escaped } : { type: 'set', ranges: escaped };
  }

  /** An escape other than `\b`/`\B`: a unit (number) or the ranges of a class escape. */
  private parseEscapeInClassOrNot(inClass: boolean): number | Ranges {
    const start = this.position;
    const kind = this.peek(1);
    this.position += 2;
    if (kind === '') this.fail('ends with a lone backslash', start);
    const set = CLASS_ESCAPES[kind];
    if (set !== undefined) return set;
    const simple = SIMPLE_ESCAPES[kind];
    if (simple !== undefined) return simple;
    if (kind === '0') {
      if (/[0-9]/.test(this.peek())) this.fail('uses an octal escape, which is not supported', start);
      return 0;
    }
    if (/[1-9]/.test(kind) || kind === 'k') {
      this.fail('uses a backreference, which is not supported (it needs exponential time)', start);
    }
    if (kind === 'x' || kind === 'u') {
      const length = kind === 'x' ? 2 : 4;
      const digits = this.pattern.slice(this.position, this.position + length);
      if (!(kind === 'x' ? HEX2 : HEX4).test(digits)) {
        this.fail(
          `has an incomplete \\${kind} escape; write \\${kind}${'H'.repeat(length)} with hex digits`,
          start,
        );
      }
      this.position += length;
      return Number.parseInt(digits, 16);
    }
    if (inClass && (kind === 'b' || kind === 'B'))
      this.fail(`has \\${kind} inside [...], which is not supported`, start);
    if (isAsciiPunctuation(kind)) return kind.charCodeAt(0);
    return this.fail(`has an unsupported escape \\${kind}`, start);
  }

  private parseClass(): RegexNode {
    const open = this.position;
    this.position++;
    const negated = this.peek() === '^';
    if (negated) this.position++;
    const ranges: number[] = [];
    while (this.peek() !== ']') {
      if (this.position >= this.pattern.length) this.fail('has an unterminated [...] class', open);
      const atomStart = this.position;
      const first = this.parseClassAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.position++;
        const last = this.parseClassAtom();
        if (typeof first !== 'number' || typeof last !== 'number') {
          this.fail('has a range in [...] that starts or ends with a class escape such as \\d', atomStart);
        }
        if (first > last) this.fail('has a range in [...] whose ends are out of order', atomStart);
        ranges.push(first, last);
      } else if (typeof first === 'number') {
        ranges.push(first, first);
      } else {
        ranges.push(...first);
      }
    }
    this.position++;
    const normalized = normalizeRanges(ranges);
    return { type: 'set', ranges: negated ? complementRanges(normalized) : normalized };
  }

  private parseClassAtom(): number | Ranges {
    if (this.peek() === '\\') return this.parseEscapeInClassOrNot(true);
    const unit = this.pattern.charCodeAt(this.position);
    this.position++;
    return unit;
  }
}

/**
 * Parses `pattern` into a syntax tree.
 *
 * @throws RegexSyntaxError when the pattern is outside the supported subset.
 */
export function parseRegex(pattern: string): RegexNode {
  return new Parser(pattern).parse();
}
