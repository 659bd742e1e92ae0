/**
 * Capacity: how many delegations fit in one bucket policy (20,480 bytes), for the shapes a data
 * marketplace uses, next to the smallest policy a person could write by hand for the same access.
 * A script, not a test: `npx projen capacity` (after the library is compiled to lib/).
 *
 * Each figure is found by bisection: the largest number of accounts whose app synthesizes, the
 * library's own size check deciding (it measures minified JSON, deploy-time values at their longest).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as Library from '../src';
import { loadLibrary } from './library';

const { DelegatedBucket, S3Actions } = loadLibrary();
const LIMIT = 20_480;
const BUCKET = 'test-bucket-1';
const OWNER = '123456789010';
const account = (i: number) => String(100_000_000_000 + i);

type Delegate = (bucket: Library.DelegatedBucket, n: number) => void;

/** Whether the owner app synthesizes with `n` accounts delegated by `delegate`. */
function fits(delegate: Delegate, n: number, encryption?: s3.BucketEncryption): boolean {
  const app = new App();
  const stack = new Stack(app, 'Owner', { env: { account: OWNER, region: 'eu-west-3' } });
  const bucket = new DelegatedBucket(stack, 'Data', { bucketName: BUCKET, encryption });
  delegate(bucket, n);
  try {
    app.synth();
    return true;
  } catch {
    return false;
  }
}

/** The largest `n` for which `ok(n)` holds, `ok` being true up to some point and false after it. */
function largest(ok: (n: number) => boolean, high = 4_096): number {
  let [low, top] = [0, high];
  while (low < top) {
    const mid = Math.ceil((low + top) / 2);
    [low, top] = ok(mid) ? [mid, top] : [low, mid - 1];
  }
  return low;
}

const READ = ['s3:GetObject', 's3:GetObjectVersion'];
const arn = (key?: string) => `arn:aws:s3:::${BUCKET}${key === undefined ? '' : `/${key}`}`;
/** The TLS-only statement every secure bucket has, as short as a person would write it. */
const TLS = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn(), arn('*')], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
const bytes = (statements: object[]) => Buffer.byteLength(JSON.stringify({ Version: '2012-10-17', Statement: [TLS, ...statements] }), 'utf8');

/**
 * By hand, a folder per account, exactly: for each account an object statement and a list
 * statement narrowed with StringLike s3:prefix (no guard needed).
 */
function handWrittenExact(n: number): number {
  return bytes(Array.from({ length: n }, (_, i) => [
    { Effect: 'Allow', Principal: '*', Action: READ, Resource: arn(`${account(i)}/*`), Condition: { StringEquals: { 's3:DataAccessPointAccount': account(i) } } },
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:ListBucket',
      Resource: arn(),
      Condition: { StringEquals: { 's3:DataAccessPointAccount': account(i) }, StringLike: { 's3:prefix': [`${account(i)}/`, `${account(i)}/*`] } },
    },
  ]).flat());
}

/** By hand, a folder per account, with the library's technique: one statement each, and one guard. */
function handWrittenCompact(n: number): number {
  const guard = {
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:ListBucket',
    Resource: arn(),
    Condition: { Null: { 's3:prefix': 'true', 's3:DataAccessPointAccount': 'false' }, StringNotEquals: { 's3:DataAccessPointAccount': OWNER } },
  };
  return bytes([...Array.from({ length: n }, (_, i) => ({
    Effect: 'Allow',
    Principal: '*',
    Action: [...READ, 's3:ListBucket'],
    Resource: [arn(`${account(i)}/*`), arn()],
    Condition: { StringEquals: { 's3:DataAccessPointAccount': account(i) }, StringLikeIfExists: { 's3:prefix': [`${account(i)}/`, `${account(i)}/*`] } },
  })), guard]);
}

const sharedPrefix: Delegate = (b, n) => {
  for (let i = 0; i < n; i++) b.delegateTo(account(i), { actions: S3Actions.READ, prefixes: ['ResearchData'] });
};
const wholeBucket: Delegate = (b, n) => {
  for (let i = 0; i < n; i++) b.delegateTo(account(i), { actions: S3Actions.READ });
};
const folderEach: Delegate = (b, n) => {
  for (let i = 0; i < n; i++) b.delegateTo(account(i), { actions: S3Actions.READ, prefixes: [account(i)] });
};
const readWriteShared: Delegate = (b, n) => {
  for (let i = 0; i < n; i++) b.delegateTo(account(i), { actions: S3Actions.READ_WRITE, prefixes: ['Uploads'] });
};

const rows: Array<[string, number, string]> = [];
const measure = (what: string, delegate: Delegate, encryption?: s3.BucketEncryption) =>
  rows.push([what, largest((n) => fits(delegate, n, encryption)), '']);

measure('READ of the whole bucket, same for every account', wholeBucket);
measure('READ under one prefix, same for every account (SSE-S3)', sharedPrefix);
measure('READ under one prefix, same for every account (SSE-KMS)', sharedPrefix, s3.BucketEncryption.KMS);
measure('READ_WRITE under one prefix, same for every account', readWriteShared);
const folders = largest((n) => fits(folderEach, n));
const byHandExact = largest((n) => handWrittenExact(n) <= LIMIT, 200);
const byHandCompact = largest((n) => handWrittenCompact(n) <= LIMIT, 200);
rows.push(['READ under a folder of its own for each account', folders,
  `by hand: ${byHandExact} (two statements each), ${byHandCompact} (one statement each and a guard); library = ${(100 * folders / Math.max(byHandExact, byHandCompact)).toFixed(0)}% of the best`]);

console.log(`Accounts that fit in one bucket policy (${LIMIT.toLocaleString('en-US')} bytes), bucket "${BUCKET}":`);
for (const [what, n, note] of rows) {
  console.log(`  ${String(n).padStart(5)}  ${what}${note ? `  [${note}]` : ''}`);
}
console.log(`capacity: shared_prefix=${rows[1][1]} shared_prefix_kms=${rows[2][1]} whole_bucket=${rows[0][1]} folder_each=${folders} folder_each_by_hand=${Math.max(byHandExact, byHandCompact)}`);
