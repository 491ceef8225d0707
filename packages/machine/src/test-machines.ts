import { deadlineOf, type Machine, Outbox, type Step } from "./machine.js";

export type PingEvent = { type: "pong"; at: number } | { type: "gave-up" };

/** Sends P, waits `wait` ms for Q, tries `tries` times; finished after `rounds` answers. */
export class Pinger implements Machine<PingEvent> {
  private due = Number.NEGATIVE_INFINITY;
  private tries = 0;
  private answers = 0;
  finished = false;

  constructor(
    private readonly rounds = 3,
    private readonly wait = 200,
    private readonly maxTries = 3,
  ) {}

  receive(input: ArrayLike<number>, now: number): Step<PingEvent> {
    const out = new Outbox<PingEvent>();
    for (let i = 0; i < input.length; i++) {
      if (input[i] !== 0x51 || this.finished) continue;
      out.emit({ type: "pong", at: now });
      this.tries = 0;
      if (++this.answers === this.rounds) this.end();
      else this.ping(now, out);
    }
    return out.bytes(deadlineOf(this.due));
  }

  tick(now: number): Step<PingEvent> {
    const out = new Outbox<PingEvent>();
    if (!this.finished && now >= this.due) {
      if (this.tries === this.maxTries) {
        out.emit({ type: "gave-up" });
        this.end();
      } else this.ping(now, out);
    }
    return out.bytes(deadlineOf(this.due));
  }

  private ping(now: number, out: Outbox<PingEvent>): void {
    this.tries++;
    out.send([0x50]);
    this.due = now + this.wait;
  }

  private end(): void {
    this.finished = true;
    this.due = Number.POSITIVE_INFINITY;
  }
}

/** Answers every P with Q. */
export class Ponger implements Machine<{ type: "ping" }> {
  receive(input: ArrayLike<number>): Step<{ type: "ping" }> {
    const out = new Outbox<{ type: "ping" }>();
    for (let i = 0; i < input.length; i++)
      if (input[i] === 0x50) {
        out.emit({ type: "ping" });
        out.send([0x51]);
      }
    return out.bytes(undefined);
  }

  tick(): Step<{ type: "ping" }> {
    return new Outbox<{ type: "ping" }>().bytes(undefined);
  }
}
