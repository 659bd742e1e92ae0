/*
 * The access report's own policy evaluator against the independent one (iam-simulate): on the
 * operators it knows, both decide alike; on those it does not, it never allows what the independent
 * evaluator denies (it judges such a condition as met in a Deny and not met in an Allow).
 */
import { evaluateDirectToBucket } from './support/access-evaluator';
import { evaluate } from '../src/private/report/evaluate';

const OWNER = '123456789010';
const CALLER = '111122223333';
const JANE = `arn:aws:iam::${CALLER}:user/Jane`;
const BUCKET = 'test-bucket-1';
const EVERYTHING = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

interface Case {
  readonly name: string;
  readonly statements: object[];
  readonly action?: string;
  readonly key?: string;
  readonly prefix?: string;
  readonly context?: Record<string, string | string[]>;
}

/** An Allow to everyone of GetObject on the bucket's objects, with changes; an undefined value removes the element. */
const allow = (extra: Record<string, unknown> = {}) => Object.fromEntries(Object.entries({
  Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`, ...extra,
}).filter(([, v]) => v !== undefined));

/** Decisions both evaluators must agree on: the operators and elements the report's evaluator knows. */
const KNOWN: Case[] = [
  { name: 'a plain allow', statements: [allow()] },
  { name: 'another action', statements: [allow()], action: 's3:PutObject' },
  { name: 'an action wildcard', statements: [allow({ Action: 's3:Get*' })] },
  { name: 'NotAction', statements: [allow({ Action: undefined, NotAction: 's3:PutObject' })] },
  { name: 'NotResource', statements: [allow({ Resource: undefined, NotResource: `arn:aws:s3:::${BUCKET}/Secret/*` })], key: 'Secret/x' },
  { name: 'a resource wildcard with ?', statements: [allow({ Resource: `arn:aws:s3:::${BUCKET}/Data?/*` })], key: 'Data1/x' },
  { name: 'an ARN wildcard does not cross a segment', statements: [allow({ Resource: 'arn:aws:s3:*:data/*' })], key: 'data/x' },
  { name: 'the principal by ARN', statements: [allow({ Principal: { AWS: JANE } })] },
  { name: 'another principal by ARN', statements: [allow({ Principal: { AWS: `arn:aws:iam::${CALLER}:user/Bob` } })] },
  { name: 'the principal\'s account by root ARN', statements: [allow({ Principal: { AWS: `arn:aws:iam::${CALLER}:root` } })] },
  { name: 'StringEquals met', statements: [allow({ Condition: { StringEquals: { 's3:DataAccessPointAccount': CALLER } } })], context: { 's3:DataAccessPointAccount': CALLER } },
  { name: 'StringEquals with the key absent', statements: [allow({ Condition: { StringEquals: { 's3:DataAccessPointAccount': CALLER } } })] },
  { name: 'StringNotEquals with the key absent', statements: [allow({ Condition: { StringNotEquals: { 's3:DataAccessPointAccount': CALLER } } })] },
  { name: 'StringLikeIfExists with the key absent', statements: [allow({ Condition: { StringLikeIfExists: { 's3:prefix': 'Data/*' } } })] },
  { name: 'StringLike on a list request', statements: [allow({ Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}`, Condition: { StringLike: { 's3:prefix': 'Data/*' } } })], action: 's3:ListBucket', prefix: 'Data/x' },
  { name: 'StringLike on a list request outside it', statements: [allow({ Action: 's3:ListBucket', Resource: `arn:aws:s3:::${BUCKET}`, Condition: { StringLike: { 's3:prefix': 'Data/*' } } })], action: 's3:ListBucket', prefix: 'Other/' },
  { name: 'Null true with the key absent', statements: [allow({ Condition: { Null: { 's3:prefix': 'true' } } })] },
  { name: 'Null false with the key absent', statements: [allow({ Condition: { Null: { 's3:prefix': 'false' } } })] },
  { name: 'ArnLike met', statements: [allow({ Condition: { ArnLike: { 's3:DataAccessPointArn': `arn:aws:s3:eu-west-3:${CALLER}:accesspoint/*` } } })], context: { 's3:DataAccessPointArn': `arn:aws:s3:eu-west-3:${CALLER}:accesspoint/ap` } },
  { name: 'Bool', statements: [allow(), { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
  { name: 'ForAnyValue with the key absent', statements: [allow({ Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/*' } } })] },
  { name: 'ForAnyValue met', statements: [allow({ Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/*' } } })], context: { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-1/'] } },
  { name: 'an explicit Deny wins', statements: [allow(), { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: '*' }] },
  { name: 'Deny NotPrincipal naming the user and account', statements: [allow(), { Effect: 'Deny', NotPrincipal: { AWS: [JANE, `arn:aws:iam::${CALLER}:root`] }, Action: 's3:*', Resource: '*' }] },
];

/**
 * Where the report's evaluator is more careful than the independent one: operators it does not
 * know, and a Deny with NotPrincipal that names the user without its account, which AWS documents
 * as possibly denying the whole account. It must never allow more than the independent evaluator.
 */
const UNKNOWN: Case[] = [
  { name: 'Deny NotPrincipal naming the user only', statements: [allow(), { Effect: 'Deny', NotPrincipal: { AWS: JANE }, Action: 's3:*', Resource: '*' }] },
  { name: 'a Deny unless from an address range', statements: [allow(), { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }], context: { 'aws:SourceIp': '8.8.8.8' } },
  { name: 'a Deny for old TLS', statements: [allow(), { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } }], context: { 's3:TlsVersion': '1.0' } },
  { name: 'an Allow from an address range', statements: [allow({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })], context: { 'aws:SourceIp': '10.1.2.3' } },
];

function decide(c: Case): { ours: boolean; independent: boolean } {
  const action = c.action ?? 's3:GetObject';
  const list = action === 's3:ListBucket';
  const key = c.key ?? 'Data/x.csv';
  const policy = { Version: '2012-10-17', Statement: c.statements };
  const independent = evaluateDirectToBucket({
    principal: JANE, identityPolicies: [EVERYTHING], action, ...(list ? { prefix: c.prefix } : { key }), context: c.context,
  }, { name: BUCKET, account: OWNER, region: 'eu-west-3', policy }).allowed;
  const ours = evaluate(policy, {
    principal: JANE,
    action,
    resource: list ? `arn:aws:s3:::${BUCKET}` : `arn:aws:s3:::${BUCKET}/${key}`,
    context: { 'aws:SecureTransport': 'true', ...(list && c.prefix !== undefined ? { 's3:prefix': c.prefix } : {}), ...c.context },
  }) === 'allow';
  return { ours, independent };
}

describe('the report\'s evaluator', () => {
  test.each(KNOWN.map((c) => [c.name, c] as const))('decides like the independent evaluator: %s', (_name, c) => {
    const { ours, independent } = decide(c);
    expect(ours).toBe(independent);
  });

  test('the cases cover both decisions', () => {
    const outcomes = KNOWN.map((c) => decide(c).independent);
    expect(outcomes.filter((o) => o).length).toBeGreaterThan(5);
    expect(outcomes.filter((o) => !o).length).toBeGreaterThan(5);
  });

  test.each(UNKNOWN.map((c) => [c.name, c] as const))('never allows what the independent evaluator denies, and denies when unsure: %s', (_name, c) => {
    const { ours, independent } = decide(c);
    expect(ours && !independent).toBe(false);
    expect(ours).toBe(false);
  });
});
