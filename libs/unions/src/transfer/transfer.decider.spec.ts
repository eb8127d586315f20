import { foldEvents } from '@app/core';
import { deciderSpec } from '@app/testing';
import { RULES, meta } from '../member/member.fixtures';
import type { RequestTransfer, TransferCommand } from './transfer.commands';
import { memberTransferEffect, transferDecider } from './transfer.decider';
import type { TransferEvent } from './transfer.events';
import type { UnionPath } from './transfer-routing.rules';

const spec = deciderSpec(transferDecider);
const C = { unionId: 'C', level: 'COMPANY' } as const;
const F1 = { unionId: 'F1', level: 'SECONDARY_UNIT' } as const;
const F2 = { unionId: 'F2', level: 'SECONDARY_UNIT' } as const;
const T1: UnionPath = [C, F1, { unionId: 'T1', level: 'TEAM' }];
const T2: UnionPath = [C, F1, { unionId: 'T2', level: 'TEAM' }];
const B3: UnionPath = [C, F2, { unionId: 'B3', level: 'BRIGADE' }];

const request = (over: Partial<RequestTransfer['data']> = {}): RequestTransfer => ({
  type: 'RequestTransfer',
  data: {
    rules: RULES,
    actsForUnionIds: ['T1'],
    transferId: 'tr-1',
    memberId: 'm-1',
    fromPath: T1,
    to: { kind: 'UNION', path: B3, status: 'ACTIVE' },
    requestedOn: '2025-07-01',
    ...over,
  },
  metadata: meta(),
});

const step = (
  type: 'ReleaseTransfer' | 'ReceiveTransfer' | 'RejectTransfer',
  actsFor: string[],
  on = '2025-07-05',
): TransferCommand => {
  const base = { rules: RULES, actsForUnionIds: actsFor, note: null };
  switch (type) {
    case 'ReleaseTransfer':
      return { type, data: { ...base, releasedOn: on }, metadata: meta() };
    case 'ReceiveTransfer':
      return {
        type,
        data: { ...base, receivedOn: on, receivingUnionStatus: 'ACTIVE' },
        metadata: meta(),
      };
    case 'RejectTransfer':
      return { type, data: { ...base, rejectedOn: on }, metadata: meta() };
  }
};

const decideAll = (commands: TransferCommand[]): TransferEvent[] =>
  commands.reduce<TransferEvent[]>(
    (events, command) => [
      ...events,
      ...transferDecider.decide(command, foldEvents(transferDecider, events)),
    ],
    [],
  );

const requested = decideAll([request()]);

describe('Art. 19(3): the transfer aggregate', () => {
  it('records the computed handlers with the request', () => {
    spec
      .given([])
      .when(request())
      .then([
        {
          type: 'TransferRequested',
          data: {
            transferId: 'tr-1',
            memberId: 'm-1',
            fromUnionId: 'T1',
            toUnionId: 'B3',
            toExternal: null,
            route: 'BETWEEN_SECONDARY_UNITS',
            sendingHandlerUnionId: 'F1',
            receivingHandlerUnionId: 'F2',
            handledByUnionIds: ['F1', 'F2'],
            requestedOn: '2025-07-01',
          },
        },
      ]);
  });

  it('refuses a receiving union that is not active, a second request on the stream and an outsider', () => {
    spec
      .given([])
      .when(request({ to: { kind: 'UNION', path: B3, status: 'DISSOLVED' } }))
      .thenThrows('RECEIVING_UNION_NOT_ACTIVE');
    spec.given(requested).when(request()).thenThrows('TRANSFER_ALREADY_EXISTS');
    spec
      .given([])
      .when(request({ actsForUnionIds: ['T2'] }))
      .thenThrows('NOT_TRANSFER_HANDLER', 'Art. 19(3)');
    spec
      .given([])
      .when(request({ to: { kind: 'EXTERNAL', name: ' ' } }))
      .thenThrows('TRANSFER_DESTINATION_REQUIRED');
  });

  it('is released by the sending handler only', () => {
    spec
      .given(requested)
      .when(step('ReleaseTransfer', ['F1']))
      .thenMatches([
        { type: 'TransferReleased', data: { byUnionId: 'F1', completesTransfer: false } },
      ]);
    spec
      .given(requested)
      .when(step('ReleaseTransfer', ['F2', 'T1']))
      .thenThrows('NOT_TRANSFER_HANDLER');
  });

  it('is received by the receiving handler only, after the release', () => {
    const released = decideAll([request(), step('ReleaseTransfer', ['F1'])]);
    spec
      .given(requested)
      .when(step('ReceiveTransfer', ['F2']))
      .thenThrows('TRANSFER_NOT_RELEASED');
    spec
      .given(released)
      .when(step('ReceiveTransfer', ['F1']))
      .thenThrows('NOT_TRANSFER_HANDLER');
    spec
      .given(released)
      .when(step('ReceiveTransfer', ['F2']))
      .thenMatches([{ type: 'TransferReceived', data: { toUnionId: 'B3', byUnionId: 'F2' } }]);
    const received = decideAll([
      request(),
      step('ReleaseTransfer', ['F1']),
      step('ReceiveTransfer', ['F2']),
    ]);
    expect(foldEvents(transferDecider, received).status).toBe('COMPLETED');
    spec
      .given(received)
      .when(step('RejectTransfer', ['F2']))
      .thenThrows('TRANSFER_CLOSED');
  });

  it('cannot be received before it was released', () => {
    const released = decideAll([request(), step('ReleaseTransfer', ['F1'], '2025-07-05')]);
    spec
      .given(released)
      .when(step('ReceiveTransfer', ['F2'], '2025-07-04'))
      .thenThrows('TRANSFER_DATE_OUT_OF_ORDER');
  });

  it('can be rejected by either side while open', () => {
    spec
      .given(requested)
      .when(step('RejectTransfer', ['F1']))
      .thenMatches([{ type: 'TransferRejected', data: { side: 'SENDING' } }]);
    spec
      .given(requested)
      .when(step('RejectTransfer', ['F2']))
      .thenMatches([{ type: 'TransferRejected', data: { side: 'RECEIVING' } }]);
    spec
      .given(requested)
      .when(step('RejectTransfer', ['T2']))
      .thenThrows('NOT_TRANSFER_HANDLER');
  });

  it('within a secondary unit, the grassroots unions handle it', () => {
    const within = decideAll([request({ to: { kind: 'UNION', path: T2, status: 'ACTIVE' } })]);
    spec
      .given(within)
      .when(step('ReleaseTransfer', ['T1']))
      .thenMatches([{ type: 'TransferReleased' }]);
    spec
      .given(within)
      .when(step('ReleaseTransfer', ['F2']))
      .thenThrows('NOT_TRANSFER_HANDLER');
  });

  it('to outside the enterprise, the company release completes it', () => {
    const out = decideAll([request({ to: { kind: 'EXTERNAL', name: '某市总工会' } })]);
    spec
      .given(out)
      .when(step('ReleaseTransfer', ['F1']))
      .thenThrows('NOT_TRANSFER_HANDLER');
    const done = decideAll([
      request({ to: { kind: 'EXTERNAL', name: '某市总工会' } }),
      step('ReleaseTransfer', ['C']),
    ]);
    expect(done.at(-1)).toMatchObject({
      type: 'TransferReleased',
      data: { completesTransfer: true },
    });
    expect(foldEvents(transferDecider, done).status).toBe('COMPLETED');
    spec
      .given(done)
      .when(step('ReceiveTransfer', ['C']))
      .thenThrows('TRANSFER_CLOSED');
  });

  it('a missing transfer is not found', () => {
    spec
      .given([])
      .when(step('ReleaseTransfer', ['F1']))
      .thenThrows('TRANSFER_NOT_FOUND');
  });
});

describe('memberTransferEffect: the member counts on exactly one union at every instant', () => {
  it('moves the member only on completion and leaves them home on rejection', () => {
    const [req] = requested;
    const effects = decideAll([
      request(),
      step('ReleaseTransfer', ['F1']),
      step('ReceiveTransfer', ['F2', 'C'], '2025-07-09'),
    ]).map(memberTransferEffect);
    expect(effects).toEqual([
      { kind: 'NONE' },
      { kind: 'NONE' },
      { kind: 'COMPLETE', transferId: 'tr-1', on: '2025-07-09' },
    ]);
    expect(req && memberTransferEffect(req)).toEqual({ kind: 'NONE' });
    const [, rejected] = decideAll([request(), step('RejectTransfer', ['F2'])]);
    expect(rejected && memberTransferEffect(rejected)).toEqual({
      kind: 'CANCEL',
      transferId: 'tr-1',
      on: '2025-07-05',
    });
  });
});
