/**
 * @module An incremental parser of `text/event-stream`, following the WHATWG HTML standard,
 * §9.2.6 "Interpreting an event stream": lines end with CRLF, LF or CR (a CR at the end of one
 * chunk may pair with an LF at the start of the next), a leading BOM is dropped, `:` starts a
 * comment, an empty line dispatches the event, `id` persists across events, `retry` takes
 * digits only, and an event with no data is not dispatched.
 */

/** One dispatched event. */
export interface SseEvent {
  /** The `event` field; `message` when absent. */
  readonly type: string;
  /** The `data` lines joined with `\n`. */
  readonly data: string;
  /** The last event id seen so far (it persists across events, per the standard). */
  readonly lastEventId: string;
}

export interface SseHandlers {
  onEvent(event: SseEvent): void;
  /** A comment line such as the server's `: ping` heartbeat. */
  onComment?(text: string): void;
  /** The server's `retry:` hint, in milliseconds. */
  onRetry?(delayMs: number): void;
}

/** Thrown by `push` when one line grows past the limit: the stream is not trustworthy. */
export class SseLineTooLongError extends Error {}

/**
 * Feeds decoded text in chunks of any size; calls the handlers as events complete.
 *
 * @example
 * const parser = new SseParser({ onEvent: (event) => console.log(event.type, event.data) });
 * parser.push('event: config\nid: 7\ndata: {"version":7}\n');
 * parser.push('\n'); // → config {"version":7}
 */
export class SseParser {
  readonly #handlers: SseHandlers;
  readonly #maxLineLength: number;
  #buffer = '';
  #started = false;
  /** The previous chunk ended in CR: an LF starting the next chunk belongs to that line end. */
  #pendingCr = false;
  #eventType = '';
  #data: string[] = [];
  #lastEventId = '';

  /** `maxLineLength` bounds memory: a config payload arrives as one `data:` line. */
  constructor(handlers: SseHandlers, options: { maxLineLength?: number } = {}) {
    this.#handlers = handlers;
    this.#maxLineLength = options.maxLineLength ?? 64 * 1024 * 1024;
  }

  push(chunk: string): void {
    let text = chunk;
    if (!this.#started && text !== '') {
      this.#started = true;
      if (text.startsWith('\ufeff')) text = text.slice(1);
    }
    if (this.#pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.#pendingCr = text.endsWith('\r');
    const lines = text.split(/\r\n|\r|\n/);
    // The last piece is the start of a line not ended yet (empty when the chunk ended a line).
    lines[0] = this.#buffer + lines[0];
    this.#buffer = lines.pop() as string;
    for (const line of lines) this.#processLine(line);
    if (this.#buffer.length > this.#maxLineLength) {
      this.#buffer = '';
      throw new SseLineTooLongError(`event stream line longer than ${this.#maxLineLength} characters`);
    }
  }

  #processLine(line: string): void {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.startsWith(':')) {
      this.#handlers.onComment?.(line.slice(1).trimStart());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#eventType = value;
        break;
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        if (!value.includes('\u0000')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#handlers.onRetry?.(Number(value));
        break;
      default:
        // Unknown fields are ignored, as the standard requires.
        break;
    }
  }

  #dispatch(): void {
    const data = this.#data;
    const type = this.#eventType;
    this.#data = [];
    this.#eventType = '';
    if (data.length === 0) return;
    this.#handlers.onEvent({
      type: type === '' ? 'message' : type,
      data: data.join('\n'),
      lastEventId: this.#lastEventId,
    });
  }
}
