import { describe, expect, it } from 'vitest';
import { type SseEvent, SseLineTooLongError, SseParser } from './sse-parser.js';

function collect(chunks: string[]) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = new SseParser({
    onEvent: (event) => events.push(event),
    onComment: (text) => comments.push(text),
    onRetry: (delayMs) => retries.push(delayMs),
  });
  for (const chunk of chunks) parser.push(chunk);
  return { events, comments, retries };
}

describe('SseParser', () => {
  it('dispatches an event on a blank line with its type, data and id', () => {
    const { events } = collect(['event: config\nid: 7\ndata: {"version":7}\n\n']);
    expect(events).toEqual([{ type: 'config', data: '{"version":7}', lastEventId: '7' }]);
  });

  it('accepts CRLF, LF and CR line endings', () => {
    const { events } = collect(['data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\n\n']);
    expect(events.map((event) => event.data)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('gives the same events however the stream is split into chunks', () => {
    const stream =
      '\ufeffretry: 500\r\n: ping\r\nevent: config\r\nid: 3\r\ndata: line one\r\ndata:line two\r\n\r\ndata: x\r\n\r\n';
    const whole = collect([stream]);
    for (let cut = 0; cut <= stream.length; cut++) {
      expect(collect([stream.slice(0, cut), stream.slice(cut)])).toEqual(whole);
    }
    expect(collect([...stream])).toEqual(whole);
    expect(whole.events).toEqual([
      { type: 'config', data: 'line one\nline two', lastEventId: '3' },
      { type: 'message', data: 'x', lastEventId: '3' },
    ]);
    expect(whole.comments).toEqual(['ping']);
    expect(whole.retries).toEqual([500]);
  });

  it('reports comments and does not dispatch events without data', () => {
    const { events, comments } = collect([': ping\n\nevent: config\nid: 9\n\n']);
    expect(events).toEqual([]);
    expect(comments).toEqual(['ping']);
  });

  it('keeps the last event id across events and ignores ids with NUL', () => {
    const { events } = collect(['id: 1\ndata: a\n\ndata: b\n\nid: 2\u0000\ndata: c\n\n']);
    expect(events.map((event) => event.lastEventId)).toEqual(['1', '1', '1']);
  });

  it('ignores retry values that are not all digits and unknown fields', () => {
    const { events, retries } = collect(['retry: 10s\nretry: 250\nfoo: bar\ndata\n\n']);
    expect(retries).toEqual([250]);
    expect(events).toEqual([{ type: 'message', data: '', lastEventId: '' }]);
  });

  it('does not dispatch an event left incomplete at the end of the input', () => {
    expect(collect(['data: partial\n']).events).toEqual([]);
  });

  it('refuses a line longer than its limit', () => {
    const parser = new SseParser({ onEvent: () => undefined }, { maxLineLength: 10 });
    expect(() => parser.push('data: 0123456789')).toThrow(SseLineTooLongError);
  });
});
