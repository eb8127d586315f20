import type {
  ApproveUnionEstablishment,
  EstablishUnion,
  ProvisionCompanyUnion,
  RejectUnionEstablishment,
  RequestUnionEstablishment,
} from './union.commands';
import { unionErrors as errors } from './union.errors';
import type { UnionEvent } from './union.events';
import { checkDate, checkName, checkNotBefore, checkParent } from './union.rules';
import type { UnionState } from './union.state';

/** Art. 2, 5: the company union at provisioning, then request → approve or direct establishment. */
export function provisionCompany({ data }: ProvisionCompanyUnion, state: UnionState): UnionEvent[] {
  if (state.status !== 'NONE') throw errors.alreadyExists();
  if (data.companyUnionExists) throw errors.companyUnionExists();
  checkDate(data.establishedOn, 'establishedOn');
  const name = checkName(data.name, []);
  const { unionId, establishedOn } = data;
  return [
    {
      type: 'UnionEstablished',
      data: { unionId, name, level: 'COMPANY', parentId: null, establishedOn },
    },
  ];
}

export function establish({ data }: EstablishUnion, state: UnionState): UnionEvent[] {
  if (state.status !== 'NONE') throw errors.alreadyExists();
  checkDate(data.establishedOn, 'establishedOn');
  checkParent(data.level, data.parent);
  if (!data.actorIsParentOfficer) throw errors.notParentOfficer();
  const name = checkName(data.name, data.siblingNames);
  const { unionId, level, establishedOn } = data;
  return [
    {
      type: 'UnionEstablished',
      data: { unionId, name, level, parentId: data.parent.unionId, establishedOn },
    },
  ];
}

export function request({ data }: RequestUnionEstablishment, state: UnionState): UnionEvent[] {
  if (state.status !== 'NONE') throw errors.alreadyExists();
  checkDate(data.requestedOn, 'requestedOn');
  checkParent(data.level, data.parent);
  const name = checkName(data.name, data.siblingNames);
  const { unionId, level, requestedOn } = data;
  return [
    {
      type: 'UnionEstablishmentRequested',
      data: { unionId, name, level, parentId: data.parent.unionId, requestedOn },
    },
  ];
}

export function approve({ data }: ApproveUnionEstablishment, state: UnionState): UnionEvent[] {
  if (state.status === 'NONE') throw errors.notFound();
  if (state.status !== 'PENDING_APPROVAL') throw errors.notPending();
  checkDate(data.approvedOn, 'approvedOn');
  checkNotBefore(data.approvedOn, 'approvedOn', state.requestedOn);
  checkParent(state.level, data.parent);
  if (!data.actorIsParentOfficer) throw errors.notParentOfficer();
  // A sibling may have taken the name while the request was pending.
  checkName(state.name, data.siblingNames);
  return [
    {
      type: 'UnionEstablishmentApproved',
      data: { unionId: state.unionId, parentId: state.parentId, approvedOn: data.approvedOn },
    },
  ];
}

export function reject({ data }: RejectUnionEstablishment, state: UnionState): UnionEvent[] {
  if (state.status === 'NONE') throw errors.notFound();
  if (state.status !== 'PENDING_APPROVAL') throw errors.notPending();
  checkDate(data.rejectedOn, 'rejectedOn');
  checkNotBefore(data.rejectedOn, 'rejectedOn', state.requestedOn);
  if (!data.actorIsParentOfficer) throw errors.notParentOfficer();
  const reason = data.reason.trim();
  if (reason === '') throw errors.reasonRequired();
  const { unionId } = state;
  return [
    {
      type: 'UnionEstablishmentRejected',
      data: { unionId, parentId: state.parentId, rejectedOn: data.rejectedOn, reason },
    },
  ];
}
