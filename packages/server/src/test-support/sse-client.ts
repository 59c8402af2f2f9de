/**
 * @module test-support/sse-client
 * A minimal Server-Sent Events client over fetch for tests: collects events and lets a test wait
 * for the next one that matches.
 */
export interface SseEvent {
  event: string;
  id: string | undefined;
  data: string;
}

export interface SseClient {
  events: SseEvent[];
  status: number;
  /** Settles when the server ends the stream (or `close()` aborts it). */
  ended: Promise<void>;
  next(predicate?: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function connectSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const waiters: Array<{ predicate: (event: SseEvent) => boolean; resolve: (event: SseEvent) => void }> = [];
  let consumed = 0;

  const deliver = (event: SseEvent) => {
    events.push(event);
    const index = waiters.findIndex((waiter) => waiter.predicate(event));
    if (index >= 0) {
      const [waiter] = waiters.splice(index, 1);
      consumed = events.length;
      waiter?.resolve(event);
    }
  };

  let ended: Promise<void> = Promise.resolve();
  if (response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    ended = (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let boundary = buffer.indexOf('\n\n');
          while (boundary >= 0) {
            const frame = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            const lines = frame.split('\n').filter((line) => !line.startsWith(':'));
            const field = (name: string) =>
              lines
                .filter((line) => line.startsWith(`${name}:`))
                .map((line) => line.slice(name.length + 1).replace(/^ /, ''));
            const data = field('data');
            if (data.length > 0)
              deliver({ event: field('event')[0] ?? 'message', id: field('id')[0], data: data.join('\n') });
            boundary = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  }

  return {
    events,
    status: response.status,
    ended,
    next(predicate = () => true, timeoutMs = 10_000) {
      const already = events.slice(consumed).find(predicate);
      if (already) {
        consumed = events.indexOf(already) + 1;
        return Promise.resolve(already);
      }
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          const index = waiters.indexOf(waiter);
          if (index >= 0) {
            waiters.splice(index, 1);
            reject(
              new Error(
                `no matching SSE event within ${timeoutMs} ms; got ${JSON.stringify(events.map((event) => event.id))}`,
              ),
            );
          }
        }, timeoutMs);
      });
    },
    close() {
      controller.abort();
    },
  };
}
