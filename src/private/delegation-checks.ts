import { IConstruct } from 'constructs';
import { Delegation, DelegationOptions, OrganizationDelegation, OrganizationDelegationOptions } from '../delegation';
import { S3Actions } from '../s3-actions';
import { Boundary, overlapProblem } from './boundary';
import { Problems } from './problems';
import { accessPointNameProblems, accountIdProblems, knownPrefix, organizationalUnitPathProblems, organizationIdProblems } from './rules';
import { actionProblems, actionsWithPrefixesProblems } from './s3-actions';
import { checkScope } from './scope-checks';
import { literalViewIn } from './tokens';

/*
 * A delegation, checked and turned into the boundary the bucket policy encodes: the same for the
 * owner's DelegatedBucket and for a consumer app that describes the owner's delegations.
 */

interface AccountDelegationInput {
  /** How the user wrote it, for messages: `delegations[0]`, `delegateTo`. */
  readonly property: string;
  readonly account: string;
  readonly options: DelegationOptions;
  /** The boundaries it must not conflict with. */
  readonly earlier: Boundary[];
  /** Where it was made, to name it in messages about other delegations. @default property */
  readonly source?: string;
}

/** The boundary of a delegation to an account; undefined when it has problems (recorded in `problems`). */
export function checkDelegation(scope: IConstruct, problems: Problems, input: AccountDelegationInput): Boundary | undefined {
  const { property, account } = input;
  const before = problems.size;
  const accountView = literalViewIn(scope, account);
  problems.addAll(`${property}.account`, accountIdProblems(accountView), accountView);
  return toBoundary(scope, problems, before, { ...input, trustee: account });
}

interface OrganizationDelegationInput {
  readonly property: string;
  readonly organizationId: string;
  readonly options: OrganizationDelegationOptions;
  readonly earlier: Boundary[];
  readonly source?: string;
}

/** The boundary of a delegation to an organization; undefined when it has problems. */
export function checkOrganizationDelegation(scope: IConstruct, problems: Problems, input: OrganizationDelegationInput): Boundary | undefined {
  const { property, organizationId, options } = input;
  const before = problems.size;
  problems.addAll(`${property}.organizationId`, organizationIdProblems(organizationId), organizationId);
  (options.organizationalUnitPaths ?? []).forEach((p, i) =>
    problems.addAll(`${property}.organizationalUnitPaths[${i}]`, organizationalUnitPathProblems(p, organizationId), p));
  return toBoundary(scope, problems, before, {
    ...input,
    trustee: organizationId,
    organizationalUnitPaths: [...new Set(options.organizationalUnitPaths ?? [])],
  });
}

/** The boundaries of a list of delegations to accounts, each checked against those before it. */
export function checkDelegations(scope: IConstruct, problems: Problems, delegations: Delegation[], property = 'delegations'): Boundary[] {
  const boundaries: Boundary[] = [];
  delegations.forEach((d, i) => {
    const boundary = checkDelegation(scope, problems, { property: `${property}[${i}]`, account: d.account, options: d, earlier: boundaries });
    if (boundary) {
      boundaries.push(boundary);
    }
  });
  return boundaries;
}

/** The boundaries of a list of delegations to organizations, checked against `earlier` and each other. */
export function checkOrganizationDelegations(
  scope: IConstruct, problems: Problems, delegations: OrganizationDelegation[], earlier: Boundary[],
): Boundary[] {
  const boundaries: Boundary[] = [];
  delegations.forEach((d, i) => {
    const boundary = checkOrganizationDelegation(scope, problems, {
      property: `organizationDelegations[${i}]`, organizationId: d.organizationId, options: d, earlier: [...earlier, ...boundaries],
    });
    if (boundary) {
      boundaries.push(boundary);
    }
  });
  return boundaries;
}

function toBoundary(
  scope: IConstruct, problems: Problems, before: number,
  input: { property: string; trustee: string; options: DelegationOptions; earlier: Boundary[]; source?: string; organizationalUnitPaths?: string[] },
): Boundary | undefined {
  const { property, options } = input;
  const actions = (options.actions ?? S3Actions.READ).actions;
  if (actions.length === 0) {
    problems.add(`${property}.actions`, 'must name at least one action', []);
  }
  actions.forEach((a, i) => problems.addAll(`${property}.actions[${i}]`, actionProblems(a), a));
  checkScope(problems, scope, property, options);
  problems.addAll(`${property}.actions`, actionsWithPrefixesProblems(actions, options.prefixes ?? []), actions);
  (options.accessPointNames ?? []).forEach((n, i) =>
    problems.addAll(`${property}.accessPointNames[${i}]`, accessPointNameProblems(literalViewIn(scope, n)), n));
  if (problems.size > before) {
    return undefined;
  }
  const boundary: Boundary = {
    source: input.source ?? property,
    account: input.trustee,
    actions,
    prefixes: [...new Set((options.prefixes ?? []).map((p) => knownPrefix(scope, p)))],
    accessPointNames: [...new Set(options.accessPointNames ?? [])],
    networkOrigin: options.networkOrigin,
    objectTags: { ...options.objectTags },
    organizationalUnitPaths: input.organizationalUnitPaths,
  };
  const overlap = overlapProblem(input.earlier, boundary);
  if (overlap) {
    problems.add(property, overlap, input.trustee);
    return undefined;
  }
  return boundary;
}
