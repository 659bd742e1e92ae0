import { asList } from '../../nag/policy-statements';

/*
 * A small evaluator of resource policies, for the access report: whether one policy allows one
 * request. It knows the parts of the policy language that S3 bucket and access point policies use:
 * Principal, Action, Resource (and their Not forms), and the string, ARN, Bool and Null condition
 * operators with their IfExists, ForAnyValue and ForAllValues forms. An explicit Deny wins. A
 * condition it cannot judge (another operator) counts as met in a Deny and as not met in an Allow,
 * so a report never claims access that a policy might not give.
 */

/** One request, as S3 sees it at one layer. */
export interface Request {
  /** The principal's ARN, such as `arn:aws:iam::111122223333:user/Jane`. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Condition keys with their values; a key that is absent is not in the request. */
  readonly context: Record<string, string | string[]>;
}

export type Decision = 'allow' | 'deny' | 'implicit-deny';

type Json = any;

/** The decision of a policy document on a request. */
export function evaluate(document: Json, request: Request): Decision {
  let allowed = false;
  for (const statement of asList<Json>(document?.Statement)) {
    if (!applies(statement, request)) {
      continue;
    }
    if (statement.Effect === 'Deny') {
      return 'deny';
    }
    allowed = allowed || statement.Effect === 'Allow';
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/**
 * Whether a statement matches the request (principal, action, resource and conditions). A
 * condition the evaluator cannot judge makes a Deny match and an Allow not match.
 */
export function applies(statement: Json, request: Request): boolean {
  const conditions = conditionsHold(statement.Condition ?? {}, request.context);
  return principalMatches(statement, request.principal)
    && matchesEither(statement.Action, statement.NotAction, request.action, true)
    && matchesEither(statement.Resource, statement.NotResource, request.resource, false, true)
    && (conditions === undefined ? statement.Effect === 'Deny' : conditions);
}

function matchesEither(list: Json, notList: Json, value: string, ignoreCase: boolean, arns = false): boolean {
  const match = (p: Json) => (arns && String(p).startsWith('arn:') ? arnMatches(String(p), value) : wildcard(String(p), value, ignoreCase));
  if (list !== undefined) {
    return asList<Json>(list).some(match);
  }
  if (notList !== undefined) {
    return !asList<Json>(notList).some(match);
  }
  return false;
}

function principalMatches(statement: Json, principal: string): boolean {
  if (statement.Principal !== undefined) {
    return principalIn(statement.Principal, principal);
  }
  if (statement.NotPrincipal === undefined) {
    return false;
  }
  // A request is made by the principal and by its account: NotPrincipal exempts it only when it
  // names both (AWS: "you must also specify the account ARN of the not-denied principal").
  const account = accountOf(principal);
  const named = asList<Json>(statement.NotPrincipal?.AWS).map(String);
  const exempt = named.includes(principal) && account !== undefined
    && (named.includes(account) || named.includes(`arn:${partitionOf(principal)}:iam::${account}:root`));
  return !exempt;
}

function principalIn(value: Json, principal: string): boolean {
  if (value === '*') {
    return true;
  }
  const account = accountOf(principal);
  return asList<Json>(value?.AWS).some((p) => {
    const named = String(p);
    return named === '*' || named === principal || named === account || named === `arn:${partitionOf(principal)}:iam::${account}:root`;
  });
}

/** The account of an IAM ARN, or undefined. */
export function accountOf(arn: string): string | undefined {
  return /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

function partitionOf(arn: string): string {
  return arn.split(':')[1] ?? 'aws';
}

/** Whether every condition holds: undefined when one of them cannot be judged. */
function conditionsHold(condition: Record<string, Record<string, Json>>, context: Request['context']): boolean | undefined {
  let known = true;
  for (const [operator, keys] of Object.entries(condition)) {
    for (const [key, expected] of Object.entries(keys)) {
      const holds = conditionHolds(operator, key, asList<Json>(expected).map(String), context);
      if (holds === false) {
        return false;
      }
      known = known && holds === true;
    }
  }
  return known ? true : undefined;
}

function conditionHolds(fullOperator: string, key: string, expected: string[], context: Request['context']): boolean | undefined {
  const [qualifier, rest] = fullOperator.includes(':') ? fullOperator.split(':', 2) : [undefined, fullOperator];
  const ifExists = rest.endsWith('IfExists');
  const operator = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const test = operator === 'Null' ? undefined : single(operator);
  if (operator !== 'Null' && test === undefined) {
    return undefined;
  }
  const present = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
  const actual = present === undefined ? undefined : asList<Json>(context[present]).map(String);
  if (operator === 'Null') {
    return expected.some((e) => (e === 'true') === (actual === undefined));
  }
  if (actual === undefined) {
    // A missing key satisfies IfExists, the negated operators and ForAllValues, nothing else.
    return ifExists || (qualifier === undefined && operator.includes('Not')) || qualifier === 'ForAllValues';
  }
  if (qualifier === 'ForAllValues') {
    return actual.every((a) => test!(a, expected));
  }
  return actual.some((a) => test!(a, expected));
}

/** A test of one value against the expected values, for the operators the evaluator knows. */
function single(operator: string): ((actual: string, expected: string[]) => boolean) | undefined {
  const equals = (a: string, e: string[]) => e.includes(a);
  const equalsIgnoreCase = (a: string, e: string[]) => e.some((x) => x.toLowerCase() === a.toLowerCase());
  const like = (a: string, e: string[]) => e.some((x) => wildcard(x, a, false));
  const arnLike = (a: string, e: string[]) => e.some((x) => arnMatches(x, a));
  const tests: Record<string, (a: string, e: string[]) => boolean> = {
    StringEquals: equals,
    StringNotEquals: (a, e) => !equals(a, e),
    StringEqualsIgnoreCase: equalsIgnoreCase,
    StringNotEqualsIgnoreCase: (a, e) => !equalsIgnoreCase(a, e),
    StringLike: like,
    StringNotLike: (a, e) => !like(a, e),
    ArnEquals: arnLike,
    ArnLike: arnLike,
    ArnNotEquals: (a, e) => !arnLike(a, e),
    ArnNotLike: (a, e) => !arnLike(a, e),
    Bool: (a, e) => e.some((x) => x.toLowerCase() === a.toLowerCase()),
  };
  return tests[operator];
}

/** ARN operators match the six parts of an ARN one by one: a `*` does not cross a `:`. */
function arnMatches(pattern: string, arn: string): boolean {
  const parts = (value: string) => {
    const split = value.split(':');
    return split.length < 6 ? undefined : [...split.slice(0, 5), split.slice(5).join(':')];
  };
  const p = parts(pattern);
  const a = parts(arn);
  return p !== undefined && a !== undefined && p.every((part, i) => wildcard(part, a[i], false));
}

/** IAM wildcard matching: `*` any run of characters, `?` one character. */
export function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = PATTERNS.get(key);
  if (!regex) {
    const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    PATTERNS.set(key, regex);
  }
  return regex.test(value);
}

/** Compiled wildcard patterns: a report evaluates the same few patterns many times. */
const PATTERNS = new Map<string, RegExp>();

