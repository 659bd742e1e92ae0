/**
 * The benchmark app built with the library: a DelegatedBucket that delegates read access under
 * Shared/ to every consumer account, and in each consumer account five CrossAccountAccessPoints,
 * each granting one imported role read access under Shared.
 *
 * node library-app.js --accounts N --outdir DIR [--stats]
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { loadLibrary } from './library';
import {
  ACCESS_POINTS_PER_CONSUMER, BUCKET_ID, BUCKET_NAME, DELEGATED_PREFIX, GRANTED_PREFIX, OWNER_ACCOUNT, OWNER_STACK, REGION,
  accessPointName, consumerAccounts, consumerStackName, newApp, parseAppArgs, printResult, readerRoleArn,
} from './topology';

const { CrossAccountAccessPoint, DelegatedBucket, S3Actions } = loadLibrary();

const args = parseAppArgs(process.argv.slice(2));
const accounts = consumerAccounts(args.accounts);
const app = newApp(args);

const owner = new Stack(app, OWNER_STACK, { env: { account: OWNER_ACCOUNT, region: REGION } });
const bucket = new DelegatedBucket(owner, BUCKET_ID, {
  bucketName: BUCKET_NAME,
  delegations: accounts.map((account) => ({ account, actions: S3Actions.READ, prefixes: [DELEGATED_PREFIX] })),
});

accounts.forEach((account, i) => {
  const stack = new Stack(app, consumerStackName(i), { env: { account, region: REGION } });
  for (let j = 0; j < ACCESS_POINTS_PER_CONSUMER; j++) {
    const accessPoint = new CrossAccountAccessPoint(stack, `AccessPoint${j}`, { bucket, accessPointName: accessPointName(i, j) });
    const reader = iam.Role.fromRoleArn(stack, `Reader${j}`, readerRoleArn(account, j));
    accessPoint.grantRead(reader, { prefixes: [GRANTED_PREFIX] });
  }
});

app.synth();
printResult(app, args);
