import { DomainError } from '@app/core';
import {
  computeTransferHandlers,
  type TransferEndpoint,
  type UnionPath,
} from './transfer-routing.rules';

/**
 * Company C
 * ├── Factory F1 (SECONDARY_UNIT)
 * │   ├── Brigade B1 ── Team T1
 * │   └── Brigade B2 ── Team T2
 * ├── Factory F2 (SECONDARY_UNIT) ── Brigade B3
 * └── Brigade B9 (directly under the company, no secondary level)
 */
const C = { unionId: 'C', level: 'COMPANY' } as const;
const F1 = { unionId: 'F1', level: 'SECONDARY_UNIT' } as const;
const F2 = { unionId: 'F2', level: 'SECONDARY_UNIT' } as const;
const paths: Record<string, UnionPath> = {
  B1: [C, F1, { unionId: 'B1', level: 'BRIGADE' }],
  T1: [C, F1, { unionId: 'B1', level: 'BRIGADE' }, { unionId: 'T1', level: 'TEAM' }],
  T2: [C, F1, { unionId: 'B2', level: 'BRIGADE' }, { unionId: 'T2', level: 'TEAM' }],
  B3: [C, F2, { unionId: 'B3', level: 'BRIGADE' }],
  B9: [C, { unionId: 'B9', level: 'BRIGADE' }],
};
const union = (id: string): TransferEndpoint => ({ kind: 'UNION', path: paths[id] ?? [] });
const external: TransferEndpoint = { kind: 'EXTERNAL', name: '某市总工会' };

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return `${error.code} ${error.article?.en ?? ''}`;
  }
  return 'no error';
};

describe('Art. 19(3): who handles a transfer is computed, never chosen', () => {
  it('within one SECONDARY_UNIT (team to team across brigades): the two grassroots unions', () => {
    expect(computeTransferHandlers(union('T1'), union('T2'))).toEqual({
      route: 'WITHIN_SECONDARY_UNIT',
      sendingHandlerUnionId: 'T1',
      receivingHandlerUnionId: 'T2',
      handledByUnionIds: ['T1', 'T2'],
    });
  });

  it('within one SECONDARY_UNIT (team to brigade): the two grassroots unions', () => {
    expect(computeTransferHandlers(union('T1'), union('B1')).handledByUnionIds).toEqual([
      'T1',
      'B1',
    ]);
  });

  it('between SECONDARY_UNITs: the two secondary-unit unions', () => {
    expect(computeTransferHandlers(union('T1'), union('B3'))).toEqual({
      route: 'BETWEEN_SECONDARY_UNITS',
      sendingHandlerUnionId: 'F1',
      receivingHandlerUnionId: 'F2',
      handledByUnionIds: ['F1', 'F2'],
    });
  });

  it('to outside the enterprise: the COMPANY union alone', () => {
    expect(computeTransferHandlers(union('T1'), external)).toEqual({
      route: 'OUTSIDE_ENTERPRISE',
      sendingHandlerUnionId: 'C',
      receivingHandlerUnionId: null,
      handledByUnionIds: ['C'],
    });
  });

  it('from outside the enterprise: the COMPANY union receives', () => {
    expect(computeTransferHandlers(external, union('B3'))).toEqual({
      route: 'OUTSIDE_ENTERPRISE',
      sendingHandlerUnionId: null,
      receivingHandlerUnionId: 'C',
      handledByUnionIds: ['C'],
    });
  });

  it('a grassroots union directly under the COMPANY has the COMPANY as its secondary-level handler', () => {
    expect(computeTransferHandlers(union('B9'), union('T1'))).toMatchObject({
      route: 'BETWEEN_SECONDARY_UNITS',
      handledByUnionIds: ['C', 'F1'],
    });
  });

  it('refuses the same union, two external ends, another enterprise and malformed paths', () => {
    expect(codeOf(() => computeTransferHandlers(union('T1'), union('T1')))).toBe(
      'TRANSFER_TO_SAME_UNION Art. 19(3)',
    );
    expect(codeOf(() => computeTransferHandlers(external, external))).toBe(
      'TRANSFER_DESTINATION_REQUIRED Art. 19(3)',
    );
    const otherCompany: TransferEndpoint = {
      kind: 'UNION',
      path: [
        { unionId: 'X', level: 'COMPANY' },
        { unionId: 'XB', level: 'BRIGADE' },
      ],
    };
    expect(codeOf(() => computeTransferHandlers(union('T1'), otherCompany))).toBe(
      'TRANSFER_ACROSS_ENTERPRISES Art. 19(3)',
    );
    const toFactory: TransferEndpoint = { kind: 'UNION', path: [C, F2] };
    expect(codeOf(() => computeTransferHandlers(union('T1'), toFactory))).toBe(
      'INVALID_UNION_PATH Art. 19(3)',
    );
    const noRoot: TransferEndpoint = {
      kind: 'UNION',
      path: [F1, { unionId: 'B1', level: 'BRIGADE' }],
    };
    expect(codeOf(() => computeTransferHandlers(noRoot, union('T2')))).toBe(
      'INVALID_UNION_PATH Art. 19(3)',
    );
    expect(codeOf(() => computeTransferHandlers({ kind: 'UNION', path: [] }, external))).toBe(
      'INVALID_UNION_PATH Art. 19(3)',
    );
  });
});
