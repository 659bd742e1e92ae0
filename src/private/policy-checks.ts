import { Annotations, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Warn when a policy passes this share of its limit: the next delegation or grant may not fit. */
const NEAR_LIMIT = 0.9;

/*
 * Values that are unknown until deploy time are measured at their longest, so that a policy that
 * passes here cannot be over the limit after CloudFormation fills them in.
 */
const LONGEST_PARTITION = 'aws-us-gov';
const LONGEST_REGION = 'us-isob-east-1';
const LONGEST_ACCOUNT = '123456789012';
/** A bucket ARN with a 63-character name in the longest partition, the longest value an attribute can take here. */
const LONGEST_ATTRIBUTE = `arn:${LONGEST_PARTITION}:s3:::${'x'.repeat(63)}`;

/** A resource policy to check, and how. */
export interface PolicyCheck {
  /** What the policy is, for messages: "bucket policy". */
  readonly policy: string;
  /** The policy document (an `iam.PolicyDocument` or anything that resolves to one). */
  readonly document: unknown;
  /** The service's limit, in bytes of minified JSON. */
  readonly limitBytes: number;
  /** The warning ID used near the limit. */
  readonly nearLimitWarning: string;
  /** What AWS would do with a public statement. */
  readonly ifPublic: string;
  /**
   * Buckets named at synth, by logical ID, so that references to them (`Ref`, `Fn::GetAtt ...Arn`)
   * are counted at their real length.
   */
  readonly knownBucketNames?: Record<string, string>;
  /**
   * What to do when the policy is over its limit, given its size.
   *
   * @default - share fewer prefixes or accounts per construct, or give accounts the same boundary
   */
  readonly overLimitAdvice?: (bytes: number) => string;
}

/** The bytes of minified JSON of a resolved policy document, deploy-time values at their longest. */
function bytesOf(resolvedDocument: unknown, knownBucketNames: Record<string, string> = {}): number {
  const known: Record<string, string> = {};
  for (const [logicalId, name] of Object.entries(knownBucketNames)) {
    known[logicalId] = name;
    known[`${logicalId}.Arn`] = `arn:${LONGEST_PARTITION}:s3:::${name}`;
  }
  const resolved = flattenIntrinsics(resolvedDocument, known);
  // An empty document resolves to nothing: CloudFormation then sets no policy at all.
  return resolved === undefined ? 0 : Buffer.byteLength(JSON.stringify(resolved), 'utf8');
}

/** The size of a policy document as AWS limits it: see `bytesOf`. */
export function policyBytes(scope: IConstruct, document: unknown, knownBucketNames?: Record<string, string>): number {
  return bytesOf(Stack.of(scope).resolve(document), knownBucketNames);
}

/** Measure a policy document as AWS limits it: minified JSON, deploy-time values at their longest. */
function measurePolicy(resolvedDocument: unknown, check: PolicyCheck): { readonly error?: string; readonly warning?: string } {
  const bytes = bytesOf(resolvedDocument, check.knownBucketNames);
  const size = `${bytes.toLocaleString('en-US')} bytes of minified JSON`;
  const limit = `${check.limitBytes.toLocaleString('en-US')} bytes`;
  if (bytes > check.limitBytes) {
    return {
      error:
        `The ${check.policy} is ${size}, over AWS's limit of ${limit} (values known only at deploy time counted at their longest), ` +
        `so the deployment would fail. ${check.overLimitAdvice?.(bytes) ?? 'Share fewer prefixes or accounts per construct, or give accounts ' +
          'with the same needs one boundary (accounts with identical boundaries share a statement)'}`,
    };
  }
  if (bytes > check.limitBytes * NEAR_LIMIT) {
    return { warning: `The ${check.policy} is ${size}, near AWS's limit of ${limit}` };
  }
  return {};
}

/** Replace CloudFormation intrinsics with the values known at synth, or the longest strings they could resolve to. */
function flattenIntrinsics(value: unknown, known: Record<string, string>): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => flattenIntrinsics(v, known));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => String(flattenIntrinsics(part, known))).join(separator);
  }
  if (keys.length === 1 && keys[0] === 'Ref') {
    switch (object.Ref) {
      case 'AWS::Partition': return LONGEST_PARTITION;
      case 'AWS::Region': return LONGEST_REGION;
      case 'AWS::AccountId': return LONGEST_ACCOUNT;
      case 'AWS::URLSuffix': return 'amazonaws.com.cn';
      default: return known[String(object.Ref)] ?? LONGEST_ATTRIBUTE;
    }
  }
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
    const attribute = [object['Fn::GetAtt']].flat().join('.');
    return known[attribute] ?? LONGEST_ATTRIBUTE;
  }
  if (keys.length === 1 && keys[0].startsWith('Fn::')) {
    return LONGEST_ATTRIBUTE;
  }
  return Object.fromEntries(keys.map((key) => [key, flattenIntrinsics(object[key], known)]));
}

/*
 * AWS calls a policy public when it allows a wildcard principal that no fixed-value condition
 * narrows. These condition keys narrow a wildcard principal to known parties (S3 user guide,
 * "The meaning of public"; for key policies, kms:CallerAccount, which IAM Access Analyzer reads as
 * naming an account).
 */
const FIXED_VALUE_KEYS: ReadonlySet<string> = new Set([
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:userid',
  'kms:calleraccount',
  's3:dataaccesspointaccount',
  's3:dataaccesspointarn',
]);
const FIXED_VALUE_OPERATORS: ReadonlySet<string> = new Set(['stringequals', 'stringequalsignorecase', 'arnequals', 'stringlike', 'arnlike']);

/** A statement AWS would call public: its index in the policy and its actions, to find it by. */
interface PublicStatement {
  readonly index: number;
  readonly actions: string;
}

/**
 * The statements of a resolved policy that AWS would call public. Block Public Access refuses such
 * a policy at deploy time, so it is an error at synth.
 */
function publicStatements(resolvedDocument: unknown): PublicStatement[] {
  const resolved = resolvedDocument as { Statement?: Array<Record<string, unknown>> } | undefined;
  const statements = resolved?.Statement ?? [];
  return statements.flatMap((statement, index) => (isPublic(statement)
    ? [{ index, actions: [statement.Action ?? statement.NotAction].flat().join(', ') }]
    : []));
}

function isPublic(statement: Record<string, unknown>): boolean {
  if (statement.Effect !== 'Allow') {
    return false;
  }
  // NotPrincipal allows everyone but the named principals: public, whatever the conditions say.
  if (statement.NotPrincipal !== undefined) {
    return true;
  }
  if (!hasWildcardPrincipal(statement.Principal)) {
    return false;
  }
  const conditions = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
  for (const [operator, keys] of Object.entries(conditions)) {
    const op = operator.toLowerCase().replace(/^forallvalues:|^foranyvalue:/, '').replace(/ifexists$/, '');
    if (!FIXED_VALUE_OPERATORS.has(op) || /ifexists$/i.test(operator)) {
      continue;
    }
    for (const [key, value] of Object.entries(keys)) {
      if (FIXED_VALUE_KEYS.has(key.toLowerCase()) && isFixed(value)) {
        return false;
      }
    }
  }
  return true;
}

function hasWildcardPrincipal(principal: unknown): boolean {
  if (principal === '*') {
    return true;
  }
  if (principal && typeof principal === 'object') {
    return Object.values(principal).some((value) => [value].flat().includes('*'));
  }
  return false;
}

/** A value is fixed when no part of it is a wildcard (unresolved intrinsics are fixed values). */
function isFixed(value: unknown): boolean {
  const values = [value].flat();
  return values.length > 0 && values.every((v) => typeof v !== 'string' || !/[*?]/.test(v));
}

/**
 * The synth-time checks every resource policy gets: not public, and within its size limit (a
 * warning near it). Returns the errors, for `node.addValidation`.
 */
export function checkResourcePolicy(scope: IConstruct, check: PolicyCheck): string[] {
  const resolved = Stack.of(scope).resolve(check.document);
  const errors = publicStatements(resolved).map(
    (s) => `${check.policy} statement ${s.index} (${s.actions}) allows a wildcard principal without a fixed-value condition; ${check.ifPublic}`,
  );
  const size = measurePolicy(resolved, check);
  if (size.error) {
    errors.push(size.error);
  } else if (size.warning) {
    Annotations.of(scope).addWarningV2(check.nearLimitWarning, size.warning);
  }
  return errors;
}
