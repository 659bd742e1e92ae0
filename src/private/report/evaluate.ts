/*
 * A small evaluator of resource policies, for the access report: whether one policy allows one
 * request. It knows the parts of the policy language that S3 bucket and access point policies use:
 * Principal, Action, Resource (and their Not forms), and the string, ARN, Bool and Null condition
 * operators with their IfExists, ForAnyValue and ForAllValues forms. An explicit Deny wins. What it
 * does not know (other operators) makes a condition fail, so a report never claims access that a
 * policy might not give.
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
  for (const statement of asList(document?.Statement)) {
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

/** Whether a statement matches the request (principal, action, resource and conditions). */
export function applies(statement: Json, request: Request): boolean {
  return principalMatches(statement, request.principal)
    && matchesEither(statement.Action, statement.NotAction, request.action, true)
    && matchesEither(statement.Resource, statement.NotResource, request.resource, false)
    && conditionsHold(statement.Condition ?? {}, request.context);
}

function matchesEither(list: Json, notList: Json, value: string, ignoreCase: boolean): boolean {
  if (list !== undefined) {
    return asList(list).some((p) => wildcard(String(p), value, ignoreCase));
  }
  if (notList !== undefined) {
    return !asList(notList).some((p) => wildcard(String(p), value, ignoreCase));
  }
  return false;
}

function principalMatches(statement: Json, principal: string): boolean {
  if (statement.Principal === undefined) {
    return statement.NotPrincipal === undefined ? false : !principalIn(statement.NotPrincipal, principal);
  }
  return principalIn(statement.Principal, principal);
}

function principalIn(value: Json, principal: string): boolean {
  if (value === '*') {
    return true;
  }
  const account = accountOf(principal);
  return asList(value?.AWS).some((p) => {
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

function conditionsHold(condition: Record<string, Record<string, Json>>, context: Request['context']): boolean {
  return Object.entries(condition).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => conditionHolds(operator, key, asList(expected).map(String), context)));
}

function conditionHolds(fullOperator: string, key: string, expected: string[], context: Request['context']): boolean {
  const [qualifier, rest] = fullOperator.includes(':') ? fullOperator.split(':', 2) : [undefined, fullOperator];
  const ifExists = rest.endsWith('IfExists');
  const operator = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const present = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
  const actual = present === undefined ? undefined : asList(context[present]).map(String);
  if (operator === 'Null') {
    return expected.some((e) => (e === 'true') === (actual === undefined));
  }
  if (actual === undefined) {
    // A missing key satisfies IfExists and the negated operators, nothing else.
    return ifExists || (qualifier === undefined && operator.includes('Not')) || qualifier === 'ForAllValues';
  }
  const test = single(operator);
  if (test === undefined) {
    return false;
  }
  if (qualifier === 'ForAnyValue') {
    return actual.some((a) => test(a, expected));
  }
  if (qualifier === 'ForAllValues') {
    return actual.every((a) => test(a, expected));
  }
  return actual.some((a) => test(a, expected));
}

/** A test of one value against the expected values, for the operators the evaluator knows. */
function single(operator: string): ((actual: string, expected: string[]) => boolean) | undefined {
  const equals = (a: string, e: string[]) => e.includes(a);
  const equalsIgnoreCase = (a: string, e: string[]) => e.some((x) => x.toLowerCase() === a.toLowerCase());
  const like = (a: string, e: string[]) => e.some((x) => wildcard(x, a, false));
  const tests: Record<string, (a: string, e: string[]) => boolean> = {
    StringEquals: equals,
    StringNotEquals: (a, e) => !equals(a, e),
    StringEqualsIgnoreCase: equalsIgnoreCase,
    StringNotEqualsIgnoreCase: (a, e) => !equalsIgnoreCase(a, e),
    StringLike: like,
    StringNotLike: (a, e) => !like(a, e),
    ArnEquals: like,
    ArnLike: like,
    ArnNotEquals: (a, e) => !like(a, e),
    ArnNotLike: (a, e) => !like(a, e),
    Bool: (a, e) => e.some((x) => x.toLowerCase() === a.toLowerCase()),
  };
  return tests[operator];
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

function asList(value: Json): Json[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
