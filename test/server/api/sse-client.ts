/** A minimal Server-Sent Events reader over fetch, as a script would write one: messages as they arrive, parsed. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The next message, waiting for it (comments skipped); rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseMessage>;
  /** Reads until `match` accepts a message; returns every message read, the matching one last. */
  until(match: (message: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage[]>;
  close(): void;
  /** The body, for a refusal that is not a stream. */
  text(): Promise<string>;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const ready: SseMessage[] = [];

  const parse = (block: string): SseMessage | undefined => {
    const message: SseMessage = { data: '' };
    let any = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') message.data = message.data ? `${message.data}\n${value}` : value;
      else if (field === 'id') message.id = value;
      else if (field === 'event') message.event = value;
      any = true;
    }
    return any ? message : undefined;
  };

  const next = async (timeoutMs = 30_000): Promise<SseMessage> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const queued = ready.shift();
      if (queued) return queued;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('no SSE message in time');
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no SSE message in time')), remaining);
        }),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) throw new Error('the SSE stream ended');
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (message) ready.push(message);
      }
    }
  };

  return {
    status: response.status,
    headers: response.headers,
    next,
    async until(match, timeoutMs = 30_000) {
      const seen: SseMessage[] = [];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const message = await next(Math.max(1, deadline - Date.now()));
        seen.push(message);
        if (match(message)) return seen;
      }
    },
    close: () => controller.abort(),
    async text() {
      let text = '';
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return text;
        text += decoder.decode(chunk.value, { stream: true });
      }
    },
  };
}
