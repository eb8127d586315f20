import type { Command, Event } from './message';

/**
 * An aggregate as a pure decider (Chassaing): decide(command, state) -> events,
 * evolve(state, event) -> state. No I/O, no clock, no framework.
 */
export interface Decider<State, C extends Command, E extends Event> {
  decide(command: C, state: State): E[];
  evolve(state: State, event: E): State;
  initialState(): State;
}

export function foldEvents<State, E extends Event>(
  decider: Pick<Decider<State, never, E>, 'evolve' | 'initialState'>,
  events: readonly E[],
): State {
  return events.reduce<State>(
    (state, event) => decider.evolve(state, event),
    decider.initialState(),
  );
}

/** Exhaustiveness check for `switch` over discriminated unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
