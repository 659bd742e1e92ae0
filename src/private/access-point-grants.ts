import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { GrantOptions } from '../access-scope';
import { Problems } from './problems';
import { knownPrefix, principalProblems } from './rules';
import { actionProblems, actionsWithPrefixesProblems, kmsActionsFor, scopeStatements } from './s3-actions';
import { checkScope, warnUntaggable } from './scope-checks';
import { literalView, literalViewIn } from './tokens';
import { Warnings } from './warnings';

/** What the grant engine needs to know of an access point. */
export interface GrantTarget {
  /** The access point: errors and warnings name its path. */
  readonly scope: IConstruct;
  /** The access point's ARN as its own policy can name it (no reference to its own resource). */
  readonly formattedArn: string;
  /** The account that owns the access point. */
  readonly account: string;
  /** The access point's Region (and its bucket's). */
  readonly region: string;
  /** The bucket's customer-managed key, as the grantee's identity policy should name it. */
  readonly keyArn?: string;
  /** The access point, when this app writes its policy; undefined for an imported one. */
  readonly resource?: iam.IResourceWithPolicy;
}

/** A grant as made, kept to check it against the owner's boundary at synth. */
export interface GrantRecord {
  readonly method: string;
  readonly grantee: string;
  readonly actions: string[];
  /** Normalised prefixes; empty for everything. */
  readonly prefixes: string[];
  readonly objectTags: Record<string, string>;
  /** The grantee's account, when it is known at synth. */
  readonly granteeAccount?: string;
}

/**
 * The grants of one access point. A grant is all or nothing: every input is checked before any
 * policy changes. Each permission is written where it applies: the access point policy (when this
 * app owns it) and the grantee's identity policy (when this app owns the grantee); the bucket's
 * KMS key only on the identity side, since the key policy is the owner's.
 *
 * IAM groups cannot be named in a resource policy, so a group gets its permissions on its identity
 * policy only, which is enough for members of the access point's own account.
 */
export class AccessPointGrants {
  public readonly records: GrantRecord[] = [];

  public constructor(private readonly target: GrantTarget) {}

  public grant(method: string, grantee: iam.IGrantable, actions: string[], options: GrantOptions = {}): iam.Grant {
    const prefixes = options.prefixes ?? [];
    const tags = options.objectTags ?? {};
    const problems = new Problems();
    this.checkGrantee(problems, method, grantee);
    if (actions.length === 0) {
      problems.add(`${method} actions`, 'must name at least one action', []);
    }
    actions.forEach((a, i) => problems.addAll(`${method} actions[${i}]`, actionProblems(a), a));
    checkScope(problems, this.target.scope, `${method} options`, options);
    problems.addAll(`${method} actions`, actionsWithPrefixesProblems(actions, prefixes), actions);
    problems.throwIfAny(this.target.scope);

    const folders = [...new Set(prefixes.map((p) => knownPrefix(this.target.scope, p)))];
    const group = isGroup(grantee.grantPrincipal);
    const parts: Array<{ grant: iam.Grant; actions: string[] }> = [];
    const statements = scopeStatements(actions, folders, tags, {
      objects: (keyPattern) => `${this.target.formattedArn}/object/${keyPattern}`,
      list: this.target.formattedArn,
    });
    for (const statement of statements) {
      const permission: iam.GrantOnPrincipalOptions = {
        grantee,
        actions: statement.actions,
        resourceArns: statement.resources,
        conditions: statement.conditions,
      };
      const resource = group ? undefined : this.target.resource;
      const grant = resource ? this.grantOnBothSides(permission, resource) : iam.Grant.addToPrincipal(permission);
      parts.push({ actions: statement.actions, grant });
    }
    if (this.target.keyArn) {
      // The key is the owner's: only the grantee's identity policy can name it.
      const keyActions = kmsActionsFor(actions);
      parts.push({
        actions: keyActions,
        grant: iam.Grant.addToPrincipal({
          grantee,
          actions: keyActions,
          resourceArns: [this.target.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${this.target.region}.amazonaws.com` } },
        }),
      });
    }
    const who = describePrincipal(grantee);
    this.records.push({ method, grantee: who, actions, prefixes: folders, objectTags: { ...tags }, granteeAccount: accountOf(grantee) });

    const unwritten = parts.filter((part) => !part.grant.success).flatMap((part) => part.actions);
    if (unwritten.length > 0) {
      Annotations.of(this.target.scope).addWarningV2(
        Warnings.GRANT_NOT_WRITTEN,
        `${method} could not give ${who} ${unwritten.join(', ')}: neither its identity policy nor ` +
          'a policy on this resource is managed by this app. Add them to its identity policy, or its requests will be denied',
      );
    }
    warnUntaggable(this.target.scope, `${method}(${who})`, actions, tags);
    return parts.map((part) => part.grant).reduce((all, grant) => all.combine(grant));
  }

  /**
   * Grant.addToPrincipalAndResource leaves the conditions off the resource side, and the access
   * point policy needs the s3:prefix and tag conditions: write each side explicitly.
   */
  private grantOnBothSides(options: iam.GrantOnPrincipalOptions, resource: iam.IResourceWithPolicy): iam.Grant {
    const identity = iam.Grant.addToPrincipal(options);
    const statement = new iam.PolicyStatement({
      principals: [options.grantee.grantPrincipal],
      actions: options.actions,
      resources: options.resourceArns,
      conditions: options.conditions,
    });
    return identity.combine(iam.Grant.addStatementToResourcePolicy({ ...options, resource, statement }));
  }

  private checkGrantee(problems: Problems, method: string, grantee: iam.IGrantable): void {
    const principal = grantee.grantPrincipal;
    if (isGroup(principal)) {
      const account = groupAccount(principal);
      if (account !== undefined && !Token.isUnresolved(this.target.account) && account !== this.target.account) {
        problems.add(`${method} grantee`, `must be a group of the access point's account ${this.target.account}: a group's permissions reach its own account's access points only`, account);
      }
      return;
    }
    for (const arn of awsPrincipals(principal.policyFragment.principalJson)) {
      const view = literalViewIn(this.target.scope, arn);
      problems.addAll(`${method} grantee`, principalProblems(view), view);
    }
  }
}

/** IAM groups (created or imported): they have a name and an ARN, and cannot be principals of resource policies. */
function isGroup(principal: iam.IPrincipal): principal is iam.IPrincipal & iam.IGroup {
  return 'groupArn' in principal && 'groupName' in principal;
}

/** The group's account: from its ARN when that is written out (an imported group), else from its stack. */
function groupAccount(group: iam.IGroup): string | undefined {
  const field = literalView(group.groupArn).split(':')[4];
  if (field !== undefined && /^\d{12}$/.test(field)) {
    return field;
  }
  const account = Stack.of(group).account;
  return Token.isUnresolved(account) ? undefined : account;
}

/** The AWS principals (ARNs, account IDs or "*") of a policy's Principal element. */
export function awsPrincipals(principal: { AWS?: unknown } | undefined): string[] {
  return [principal?.AWS ?? []].flat().filter((p): p is string => typeof p === 'string');
}

function describePrincipal(grantee: iam.IGrantable): string {
  const aws = grantee.grantPrincipal.policyFragment.principalJson.AWS;
  const first = [aws ?? []].flat()[0];
  if (typeof first === 'string' && !Token.isUnresolved(first)) {
    return first;
  }
  return Construct.isConstruct(grantee) ? grantee.node.path : grantee.grantPrincipal.toString();
}

/** The grantee's account when it is known at synth: from its ARN, or from the stack of a construct. */
function accountOf(grantee: iam.IGrantable): string | undefined {
  const arn = awsPrincipals(grantee.grantPrincipal.policyFragment.principalJson)[0];
  const field = arn === undefined ? undefined : literalView(arn).split(':')[4];
  if (field !== undefined && /^\d{12}$/.test(field)) {
    return field;
  }
  if (arn !== undefined && /^\d{12}$/.test(arn)) {
    return arn;
  }
  const account = Construct.isConstruct(grantee) ? Stack.of(grantee).account : undefined;
  return account === undefined || Token.isUnresolved(account) ? undefined : account;
}
