import { DomainError, foldEvents, type Command, type Decider, type Event } from '@app/core';

/**
 * Given/when/then for deciders (after Emmett's DeciderSpecification):
 *
 *   spec.given([UnionEstablished…]).when(command).then([CommitteeElected…])
 *   spec.given([…]).when(command).thenThrows('COMMITTEE_SIZE_OUT_OF_RANGE', 'Art. 8')
 */
export function deciderSpec<S, C extends Command, E extends Event>(decider: Decider<S, C, E>) {
  return {
    given(events: readonly E[]) {
      return {
        when(command: C) {
          const run = (): E[] => decider.decide(command, foldEvents(decider, events));
          return {
            then(expected: readonly E[]): void {
              expect(run()).toEqual(expected);
            },
            /** Checks only the events' types and the listed data fields. */
            thenMatches(expected: readonly { type: E['type']; data?: Partial<E['data']> }[]): void {
              const produced = run();
              expect(produced.map((e) => e.type)).toEqual(expected.map((e) => e.type));
              expected.forEach((e, i) => {
                if (e.data) expect(produced[i]?.data).toMatchObject(e.data);
              });
            },
            thenNothing(): void {
              expect(run()).toEqual([]);
            },
            thenThrows(code: string, articleEn?: string): DomainError {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(DomainError);
              const error = caught as DomainError;
              expect(error.code).toBe(code);
              if (articleEn !== undefined) expect(error.article?.en).toBe(articleEn);
              return error;
            },
          };
        },
      };
    },
  };
}
