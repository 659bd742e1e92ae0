/**
 * The benchmark app written by hand with L1 classes only: the same resources as the library app,
 * with the policy JSON written out directly. It is the floor the library is compared with.
 *
 * node l1-app.js --accounts N --outdir DIR [--stats]
 */
import { CfnDeletionPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  ACCESS_POINTS_PER_CONSUMER, BUCKET_ID, BUCKET_NAME, DELEGATED_PREFIX, GRANTED_PREFIX, OWNER_ACCOUNT, OWNER_STACK, REGION,
  accessPointName, consumerAccounts, consumerStackName, newApp, parseAppArgs, printResult, readerRoleArn, readerRoleName,
} from './topology';

const READ_OBJECT_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'];
const BLOCK_ALL: s3.CfnBucket.PublicAccessBlockConfigurationProperty & s3.CfnAccessPoint.PublicAccessBlockConfigurationProperty = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};

const args = parseAppArgs(process.argv.slice(2));
const accounts = consumerAccounts(args.accounts);
const app = newApp(args);

// Owner: the shared bucket, its log bucket, and their bucket policies. They sit at the library's
// construct paths (SharedData/Resource, SharedData/AccessLogs/Policy/Resource, ...), four plain
// constructs more, so that their logical IDs, and so the policies that reference them, are the same.
const owner = new Stack(app, OWNER_STACK, { env: { account: OWNER_ACCOUNT, region: REGION } });
const sharedScope = new Construct(owner, BUCKET_ID);
const logsScope = new Construct(sharedScope, 'AccessLogs');

function bucket(scope: Construct, props: s3.CfnBucketProps): s3.CfnBucket {
  const resource = new s3.CfnBucket(scope, 'Resource', {
    bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
    lifecycleConfiguration: {
      rules: [{ id: 'AbortIncompleteMultipartUploads', status: 'Enabled', abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }],
    },
    ownershipControls: { rules: [{ objectOwnership: 'BucketOwnerEnforced' }] },
    publicAccessBlockConfiguration: BLOCK_ALL,
    versioningConfiguration: { status: 'Enabled' },
    ...props,
  });
  resource.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
  resource.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
  return resource;
}

function tlsOnly(target: s3.CfnBucket): object {
  return {
    Action: 's3:*',
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Resource: [target.attrArn, `${target.attrArn}/*`],
  };
}

const logs = bucket(logsScope, {});
const shared = bucket(sharedScope, { bucketName: BUCKET_NAME, loggingConfiguration: { destinationBucketName: logs.ref } });

new s3.CfnBucketPolicy(new Construct(logsScope, 'Policy'), 'Resource', {
  bucket: logs.ref,
  policyDocument: {
    Version: '2012-10-17',
    Statement: [
      tlsOnly(logs),
      {
        Action: 's3:PutObject',
        Condition: { ArnLike: { 'aws:SourceArn': shared.attrArn }, StringEquals: { 'aws:SourceAccount': OWNER_ACCOUNT } },
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Resource: `${logs.attrArn}/*`,
      },
    ],
  },
});

const bucketArn = `arn:aws:s3:::${BUCKET_NAME}`;
new s3.CfnBucketPolicy(new Construct(sharedScope, 'Policy'), 'Resource', {
  bucket: shared.ref,
  policyDocument: {
    Version: '2012-10-17',
    Statement: [
      tlsOnly(shared),
      {
        Action: [...READ_OBJECT_ACTIONS, 's3:ListBucket'],
        Condition: {
          StringEquals: { 's3:DataAccessPointAccount': accounts },
          StringLikeIfExists: { 's3:prefix': [DELEGATED_PREFIX, `${DELEGATED_PREFIX}*`] },
        },
        Effect: 'Allow',
        Principal: '*',
        Resource: [`${bucketArn}/${DELEGATED_PREFIX}*`, bucketArn],
      },
      {
        Action: 's3:ListBucket',
        // Listing without a prefix, through any access point but the owner's own.
        Condition: {
          Null: { 's3:prefix': 'true', 's3:DataAccessPointAccount': 'false' },
          StringNotEquals: { 's3:DataAccessPointAccount': [OWNER_ACCOUNT] },
        },
        Effect: 'Deny',
        Principal: '*',
        Resource: bucketArn,
      },
    ],
  },
});

// Consumers: per account, access points whose policies let one reader role each read under the prefix,
// and the same permissions in each role's identity policy.
const grantedFolder = `${GRANTED_PREFIX}/`;
accounts.forEach((account, i) => {
  const stack = new Stack(app, consumerStackName(i), { env: { account, region: REGION } });
  stack.addDependency(owner);
  for (let j = 0; j < ACCESS_POINTS_PER_CONSUMER; j++) {
    const name = accessPointName(i, j);
    const accessPointArn = `arn:aws:s3:${REGION}:${account}:accesspoint/${name}`;
    const statements = [
      { Action: READ_OBJECT_ACTIONS, Effect: 'Allow', Resource: `${accessPointArn}/object/${grantedFolder}*` },
      {
        Action: 's3:ListBucket',
        Condition: { StringLike: { 's3:prefix': [grantedFolder, `${grantedFolder}*`] } },
        Effect: 'Allow',
        Resource: accessPointArn,
      },
    ];
    const reader = { AWS: readerRoleArn(account, j) };
    new s3.CfnAccessPoint(stack, `AccessPoint${j}`, {
      bucket: BUCKET_NAME,
      bucketAccountId: OWNER_ACCOUNT,
      name,
      publicAccessBlockConfiguration: BLOCK_ALL,
      policy: { Version: '2012-10-17', Statement: statements.map((statement) => ({ ...statement, Principal: reader })) },
    });
    new iam.CfnPolicy(stack, `Reader${j}Policy`, {
      policyName: `${name}-read`,
      roles: [readerRoleName(j)],
      policyDocument: { Version: '2012-10-17', Statement: statements },
    });
  }
});

app.synth();
printResult(app, args);
