import { converse, deadlineOf, type Machine, Outbox } from "@vendkit/machine";

/** Sends `n` pings 50 ms apart and reports each answer. */

class Pinger implements Machine<string> {
  private due = 0;
  private left: number;
  finished = false;
  constructor(n: number) {
    this.left = n;
  }
  receive(bytes: ArrayLike<number>, now: number) {
    const out = new Outbox<string>();
    for (let i = 0; i < bytes.length; i++) out.emit(`pong ${bytes[i]} at ${now}`);
    if (this.left === 0 && out.events.length > 0) this.finished = true;
    return out.bytes(deadlineOf(this.finished ? Number.POSITIVE_INFINITY : this.due));
  }
  tick(now: number) {
    const out = new Outbox<string>();
    if (this.left > 0 && now >= this.due) {
      out.send([this.left--]);
      this.due = now + 50;
    }
    return out.bytes(this.left > 0 ? this.due : undefined);
  }
}

const echo: Machine<never> = {
  receive: (bytes) => ({ send: Uint8Array.from(bytes), events: [], deadline: undefined }),
  tick: () => ({ send: new Uint8Array(0), events: [], deadline: undefined }),
};

export async function probe(): Promise<unknown> {
  const run = converse(new Pinger(3), echo, { latency: 2 });
  return { end: run.end, now: run.now, events: run.a };
}
