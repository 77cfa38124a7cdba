export type SseEvent = { id: number; event: string; data: { seq: number; type: string; data: Record<string, unknown> } };

/** Reads Server-Sent Events from a response until `until` says stop or the stream ends. */
export async function readSse(res: Response, until: (e: SseEvent, all: SseEvent[]) => boolean = () => false): Promise<SseEvent[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const fields = Object.fromEntries(frame.split("\n").filter((l) => l && !l.startsWith(":")).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]));
        if (!fields.data) continue;
        const e = { id: Number(fields.id), event: fields.event!, data: JSON.parse(fields.data) as SseEvent["data"] };
        events.push(e);
        if (until(e, events)) return events;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
