/**
 * Shared fixtures: the accounts and Region of the AWS blog scenario, apps with an owner and a
 * consumer stack, and one matcher for the library's error format.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DelegatedBucket, DelegatedBucketAttributes, DelegatedBucketProps, IDelegatedBucket } from '../../src';

/** The blog's owner account (marketing). */
export const OWNER_ACCOUNT = '123456789010';
/** The blog's consumer account (product and data science). */
export const CONSUMER_ACCOUNT = '111122223333';
/** An account the owner does not trust. */
export const OTHER_ACCOUNT = '444455556666';
export const REGION = 'eu-west-3';
export const OWNER_ENV = { account: OWNER_ACCOUNT, region: REGION };
export const CONSUMER_ENV = { account: CONSUMER_ACCOUNT, region: REGION };
/** Jane, written correctly (the blog's `arn:aws:iam:111122223333:user/Jane` lacks the empty Region field). */
export const JANE = `arn:aws:iam::${CONSUMER_ACCOUNT}:user/Jane`;
export const KEY_ARN = `arn:aws:kms:${REGION}:${OWNER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** Jane as a grantee. */
export function jane(): iam.IGrantable {
  return new iam.ArnPrincipal(JANE);
}

/** `n` distinct 12-digit account IDs. */
export function accounts(n: number, first = 100_000_000_000): string[] {
  return Array.from({ length: n }, (_, i) => String(first + i));
}

export interface TwoAccountApp {
  readonly app: App;
  readonly owner: Stack;
  readonly consumer: Stack;
  readonly bucket: DelegatedBucket;
}

/** One app, two accounts: the owner's stack `Owner` with the DelegatedBucket `Data`, and the consumer's stack `Consumer`. */
export function twoAccountApp(bucketProps: DelegatedBucketProps = {}): TwoAccountApp {
  const app = new App();
  const owner = new Stack(app, 'Owner', { env: OWNER_ENV });
  const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
  const bucket = new DelegatedBucket(owner, 'Data', bucketProps);
  return { app, owner, consumer, bucket };
}

export interface ConsumerApp {
  readonly app: App;
  readonly consumer: Stack;
  readonly bucket: IDelegatedBucket;
}

/** A consumer app alone: the owner's bucket `test-bucket-1` is described by its attributes (another app owns it). */
export function consumerApp(attrs: Partial<DelegatedBucketAttributes> = {}): ConsumerApp {
  const app = new App();
  const consumer = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
  const bucket = DelegatedBucket.fromDelegatedBucketAttributes(consumer, 'TestBucket1', {
    bucketName: 'test-bucket-1',
    account: OWNER_ACCOUNT,
    region: REGION,
    ...attrs,
  });
  return { app, consumer, bucket };
}

/** An error about an input, as the library writes it. */
export interface Problem {
  /** The construct path the message starts with. */
  readonly path: string;
  /** The property, for example `delegations[0].account` or `grantRead options.prefixes[0]`. */
  readonly property: string;
  /** The rule: the start of its wording, or a pattern. */
  readonly rule: string | RegExp;
  /** The value as given: the message quotes strings and arrays as JSON; a RegExp matches the quoted value. */
  readonly value: string | RegExp;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The library's error format: `PATH: PROPERTY RULE (got VALUE)` for one problem, or `PATH:` and one
 * `  - PROPERTY RULE (got VALUE)` line per problem. Errors found when the app is validated are
 * reported by aws-cdk with the path first as well.
 */
export function problemPattern({ path, property, rule, value }: Problem): RegExp {
  const got = typeof value === 'string' ? escapeRegExp(JSON.stringify(value)) : value.source;
  const ruleSource = typeof rule === 'string' ? escapeRegExp(rule) : rule.source;
  return new RegExp(`^${escapeRegExp(path)}:(?: |[\\s\\S]*\\n {2}- )${escapeRegExp(property)} ${ruleSource}[^\\n]*\\(got ${got}\\)$`, 'm');
}

/** The message `build` (and then synthesizing `app`, when given) throws, or '' when nothing throws. */
export function thrownBy(build: () => void, app?: App): string {
  try {
    build();
    app?.synth();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

/** Expect `build` (or the synth of `app` after it) to fail with the problem. */
export function expectProblem(build: () => void, problem: Problem, app?: App): void {
  expect(thrownBy(build, app)).toMatch(problemPattern(problem));
}
