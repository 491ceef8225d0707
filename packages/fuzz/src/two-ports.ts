import { earliest, type Machine, type Step } from "@vendkit/machine";

/**
 * A device with two lines (the Executive reader between a changer and a VMC) as one machine for
 * the fuzzer: the first byte of each input picks the line, the rest arrive on it; a tick goes to
 * both and the deadline is the earlier of the two.
 */
export function twoPorts<A, B>(a: Machine<A>, b: Machine<B>): Machine<A | B> {
  type E = A | B;
  const due: [number | undefined, number | undefined] = [undefined, undefined];
  const join = (steps: [Step<E>, Step<E>] | [Step<E>], at: number[]): Step<E> => {
    steps.forEach((s, k) => {
      due[at[k] as 0 | 1] = s.deadline;
    });
    const send = steps.length === 1 ? steps[0].send : Uint8Array.from([...steps[0].send, ...steps[1].send]);
    return { send, events: steps.flatMap((s) => s.events), deadline: earliest(due[0], due[1]) };
  };
  return {
    receive(units, now) {
      const side = (units[0] ?? 0) & 1;
      const rest = Array.prototype.slice.call(units, 1) as number[];
      return join([(side === 0 ? (a as Machine<E>) : (b as Machine<E>)).receive(rest, now)], [side]);
    },
    tick: (now) => join([(a as Machine<E>).tick(now), (b as Machine<E>).tick(now)], [0, 1]),
  };
}
