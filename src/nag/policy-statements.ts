/*
 * What the rules of CrossAccountAccessPointsChecks read in resolved policies: statements, principals,
 * condition blocks, actions and ARNs. Each rule inspects CloudFormation values resolved with
 * `Stack.of(node).resolve(...)`; a value that is still an intrinsic function (a reference, a
 * parameter, an import) is a deploy-time value: it is never judged as if it were its text.
 */

/** What a check can say about a value that may be known only at deploy time. */
export enum Verdict {
  YES = 'yes',
  NO = 'no',
  /** It depends on a deploy-time value. */
  UNKNOWN = 'unknown',
}

/** A policy statement, as CloudFormation JSON. */
export type Statement = Record<string, unknown>;

/**
 * Stands for a deploy-time part inside the text of an `Fn::Join` (a character of Unicode's private
 * use area: it appears in no ARN, account ID or condition value).
 */
export const DEPLOY_TIME = '\u{F8FF}';

/** Whether the value is a JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A policy element that may be one value or a list of them, as a list. */
export function asList<T = unknown>(value: unknown): T[] {
  if (value === undefined || value === null) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]) as T[];
}

/**
 * A property of a resolved struct, written as in CloudFormation (`BucketAccountId`) or as in the
 * props of CDK's L1 classes (`bucketAccountId`, or `cdkName` when it is not the same with a lowercase
 * first letter, as `kmsMasterKeyId` for `KMSMasterKeyID`).
 */
export function property(struct: unknown, cfnName: string, cdkName?: string): unknown {
  if (!isObject(struct)) {
    return undefined;
  }
  return struct[cfnName] ?? struct[cdkName ?? cfnName.charAt(0).toLowerCase() + cfnName.slice(1)];
}

/**
 * The text of a resolved string value: the string itself, or the literal text of an `Fn::Join` with
 * each deploy-time part replaced by `DEPLOY_TIME`. `undefined` when the whole value is a deploy-time
 * value (`Ref`, `Fn::GetAtt`, `Fn::ImportValue`, ...) or not a string at all.
 */
export function literalText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  const join = isObject(value) ? value['Fn::Join'] : undefined;
  if (!Array.isArray(join) || join.length !== 2 || typeof join[0] !== 'string' || !Array.isArray(join[1])) {
    return undefined;
  }
  return join[1].map((part) => literalText(part) ?? DEPLOY_TIME).join(join[0]);
}

/** The statements of a resolved policy document (none when the document is absent or a deploy-time value). */
export function statementsOf(document: unknown): Statement[] {
  return asList(property(document, 'Statement')).filter(isObject);
}

/** The statement's effect, `Allow` or `Deny` (anything else is not a statement IAM accepts). */
export function isAllow(statement: Statement): boolean {
  return statement.Effect === 'Allow';
}

/**
 * Whether the statement applies to every AWS principal: `Principal: "*"`, `Principal: { AWS: "*" }`
 * (alone or in a list), or `NotPrincipal`, which in an `Allow` lets in everyone it does not name.
 * Only a literal `*` is a wildcard: a principal that is a deploy-time value is an ARN.
 */
export function hasWildcardPrincipal(statement: Statement): boolean {
  if (statement.NotPrincipal !== undefined) {
    return true;
  }
  const principal = statement.Principal;
  if (principal === '*') {
    return true;
  }
  return isObject(principal) && asList(principal.AWS).some((p) => p === '*');
}

/**
 * Condition keys whose fixed values bound who may use the permission, after the list of S3's
 * definition of a non-public policy (Amazon S3 User Guide, "The meaning of public") and IAM's global
 * condition keys for principals. `aws:SourceArn` is left out: the ARN of an S3 bucket names no
 * account, so it bounds a statement only with `aws:SourceAccount`, which is in the list.
 * `aws:SourceIp` is left out too: an address range does not say which account's principal calls.
 */
const BOUNDING_KEYS: ReadonlySet<string> = new Set([
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:sourceaccount',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:sourceowner',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:userid',
  's3:dataaccesspointaccount',
  's3:dataaccesspointarn',
]);

/** Operators that match exactly the values given. `StringLike` and the ARN operators do too, when the values have no wildcard. */
const EXACT_OPERATORS: ReadonlySet<string> = new Set(['stringequals', 'stringequalsignorecase']);
/** Operators that expand `*` and `?` (in IAM, `ArnEquals` matches patterns as `ArnLike` does). */
const PATTERN_OPERATORS: ReadonlySet<string> = new Set(['stringlike', 'arnequals', 'arnlike']);

/**
 * The operator as used for a bound: lowercase, without a `ForAnyValue:` qualifier (at least one
 * value of a multivalued key must match), or `undefined` when it cannot bound a statement:
 * `...IfExists` (an absent key matches), `ForAllValues:` (an absent key matches), negated operators,
 * `Null`, `Bool`, numeric and date operators.
 */
function boundingOperator(operator: string): string | undefined {
  let name = operator.toLowerCase();
  if (name.startsWith('forallvalues:') || name.endsWith('ifexists')) {
    return undefined;
  }
  if (name.startsWith('foranyvalue:')) {
    name = name.slice('foranyvalue:'.length);
  }
  return EXACT_OPERATORS.has(name) || PATTERN_OPERATORS.has(name) ? name : undefined;
}

/**
 * Whether every value of a condition is fixed: no policy variable (`${aws:username}`) and, for an
 * operator that expands patterns, no `*` or `?`. A deploy-time value is fixed for an exact operator
 * (it is one value at deploy time) and unknown for a pattern operator (it may hold a wildcard).
 */
function fixedValues(values: unknown, operator: string): Verdict {
  const list = asList(values);
  if (list.length === 0) {
    return Verdict.NO;
  }
  const patterns = PATTERN_OPERATORS.has(operator);
  let verdict = Verdict.YES;
  for (const value of list) {
    if (typeof value === 'number' || typeof value === 'boolean') {
      continue;
    }
    const text = literalText(value);
    if (text === undefined) {
      if (patterns) {
        verdict = Verdict.UNKNOWN;
      }
      continue;
    }
    if (text.includes('${') || (patterns && /[*?]/.test(text))) {
      return Verdict.NO;
    }
    if (patterns && text.includes(DEPLOY_TIME)) {
      verdict = Verdict.UNKNOWN;
    }
  }
  return verdict;
}

/**
 * Whether the statement's condition bounds it to fixed values of a key that names whom it trusts
 * (`StringEquals s3:DataAccessPointAccount`, `StringEquals aws:PrincipalOrgID`, ...).
 */
export function isBoundedByFixedValues(statement: Statement): Verdict {
  const condition = statement.Condition;
  if (condition === undefined) {
    return Verdict.NO;
  }
  if (!isObject(condition)) {
    return Verdict.UNKNOWN;
  }
  let verdict = Verdict.NO;
  for (const [operator, block] of Object.entries(condition)) {
    const name = boundingOperator(operator);
    if (name === undefined) {
      continue;
    }
    if (!isObject(block)) {
      verdict = Verdict.UNKNOWN;
      continue;
    }
    for (const [key, values] of Object.entries(block)) {
      if (!BOUNDING_KEYS.has(key.toLowerCase())) {
        continue;
      }
      const fixed = fixedValues(values, name);
      if (fixed === Verdict.YES) {
        return Verdict.YES;
      }
      if (fixed === Verdict.UNKNOWN) {
        verdict = Verdict.UNKNOWN;
      }
    }
  }
  return verdict;
}

/**
 * Whether the statement allows every AWS principal without a fixed-value bound: what S3 calls a
 * public policy. Deny statements never are.
 */
export function isUnboundedWildcardAllow(statement: Statement): Verdict {
  if (!isAllow(statement) || !hasWildcardPrincipal(statement)) {
    return Verdict.NO;
  }
  switch (isBoundedByFixedValues(statement)) {
    case Verdict.YES:
      return Verdict.NO;
    case Verdict.UNKNOWN:
      return Verdict.UNKNOWN;
    default:
      return Verdict.YES;
  }
}

/** The condition keys of requests through an access point, which delegate a bucket's access to access points. */
const ACCESS_POINT_KEYS: ReadonlySet<string> = new Set(['s3:dataaccesspointaccount', 's3:dataaccesspointarn']);

/** One test of an access point key in a statement's condition. */
export interface AccessPointCondition {
  /** The operator, lowercase, for example `stringequals` or `null`. */
  readonly operator: string;
  /** The key, lowercase: `s3:dataaccesspointaccount` or `s3:dataaccesspointarn`. */
  readonly key: string;
  /** The values, as resolved. */
  readonly values: unknown[];
}

/**
 * The tests of access point keys that make an `Allow` statement a delegation to access points: any
 * operator on `s3:DataAccessPointAccount` or `s3:DataAccessPointArn`, except `Null` with `true`
 * (requests that do not come through an access point). Empty for other statements.
 */
export function accessPointDelegation(statement: Statement): AccessPointCondition[] {
  const condition = statement.Condition;
  if (!isAllow(statement) || !isObject(condition)) {
    return [];
  }
  const tests: AccessPointCondition[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    if (!isObject(block)) {
      continue;
    }
    for (const [key, values] of Object.entries(block)) {
      const test = { operator: operator.toLowerCase(), key: key.toLowerCase(), values: asList(values) };
      if (!ACCESS_POINT_KEYS.has(test.key)) {
        continue;
      }
      if (test.operator === 'null' && test.values.every((v) => v === true || v === 'true')) {
        continue;
      }
      tests.push(test);
    }
  }
  return tests;
}

/** Whether an IAM action pattern (`s3:Get*`, `*`) matches the action, as IAM compares them: without regard to case. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(action);
}

/**
 * Whether the statement's actions include `action`: by `Action` (a pattern that matches it) or by
 * `NotAction` (no pattern matches it). Unknown when they are deploy-time values.
 */
export function coversAction(statement: Statement, action: string): Verdict {
  const negated = statement.NotAction !== undefined;
  const patterns = asList(negated ? statement.NotAction : statement.Action);
  if (patterns.some((p) => typeof p !== 'string')) {
    return Verdict.UNKNOWN;
  }
  const matched = (patterns as string[]).some((p) => actionMatches(p, action));
  return matched !== negated ? Verdict.YES : Verdict.NO;
}
