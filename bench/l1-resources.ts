/**
 * The L1 resources shared by the two hand-written apps (l1-app.ts and l2-grants-app.ts): the owner
 * stack with its buckets and bucket policies, and the consumers' access points with their policy
 * JSON written out. The two apps differ only in how each reader role gets its identity policy.
 */
import { App, CfnDeletionPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  ACCESS_POINTS_PER_CONSUMER, BUCKET_ID, BUCKET_NAME, DELEGATED_PREFIX, GRANTED_PREFIX, OWNER_ACCOUNT, OWNER_STACK, REGION,
  accessPointName, consumerStackName, readerRoleArn,
} from './topology';

export const READ_OBJECT_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'];
/** The folder each access point grants: `grantRead(role, { prefixes: ['Shared'] })` means `Shared/`. */
export const GRANTED_FOLDER = `${GRANTED_PREFIX}/`;

const BLOCK_ALL: s3.CfnBucket.PublicAccessBlockConfigurationProperty & s3.CfnAccessPoint.PublicAccessBlockConfigurationProperty = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};

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

/**
 * Owner: the shared bucket, its log bucket, and their bucket policies. They sit at the library's
 * construct paths (SharedData/Resource, SharedData/AccessLogs/Policy/Resource, ...), four plain
 * constructs more, so that their logical IDs, and so the policies that reference them, are the same.
 */
export function addOwnerStack(app: App, accounts: string[]): Stack {
  const owner = new Stack(app, OWNER_STACK, { env: { account: OWNER_ACCOUNT, region: REGION } });
  const sharedScope = new Construct(owner, BUCKET_ID);
  const logsScope = new Construct(sharedScope, 'AccessLogs');

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
  return owner;
}

export function accessPointArn(account: string, name: string): string {
  return `arn:aws:s3:${REGION}:${account}:accesspoint/${name}`;
}

/**
 * What a reader may do through an access point: read objects under the granted folder, and list
 * it. The access point policy gives these statements to the reader, and the reader's identity
 * policy holds them as they are.
 */
export function readStatements(arn: string): object[] {
  return [
    { Action: READ_OBJECT_ACTIONS, Effect: 'Allow', Resource: `${arn}/object/${GRANTED_FOLDER}*` },
    {
      Action: 's3:ListBucket',
      Condition: { StringLike: { 's3:prefix': [GRANTED_FOLDER, `${GRANTED_FOLDER}*`] } },
      Effect: 'Allow',
      Resource: arn,
    },
  ];
}

/** An access point of the shared bucket in a consumer account, whose policy gives `statements` to `readerArn`. */
export function addAccessPoint(stack: Stack, id: string, name: string, statements: object[], readerArn: string): s3.CfnAccessPoint {
  const reader = { AWS: readerArn };
  return new s3.CfnAccessPoint(stack, id, {
    bucket: BUCKET_NAME,
    bucketAccountId: OWNER_ACCOUNT,
    name,
    publicAccessBlockConfiguration: BLOCK_ALL,
    policy: { Version: '2012-10-17', Statement: statements.map((statement) => ({ ...statement, Principal: reader })) },
  });
}

/** One consumer access point, for the app to give its reader role the identity side of the grant. */
export interface ConsumerAccessPoint {
  readonly stack: Stack;
  /** The access point's index in its account. */
  readonly index: number;
  readonly name: string;
  readonly arn: string;
  readonly readerRoleArn: string;
  /** The statements the access point policy gives the reader. */
  readonly statements: object[];
}

/**
 * The consumer stacks, written by hand: per account, access points whose policies let one reader
 * role each read under the prefix. `grantReader` adds the role's identity side, the one part in
 * which the L1 apps differ.
 */
export function addConsumerStacks(app: App, owner: Stack, accounts: string[], grantReader: (accessPoint: ConsumerAccessPoint) => void): void {
  accounts.forEach((account, i) => {
    const stack = new Stack(app, consumerStackName(i), { env: { account, region: REGION } });
    stack.addDependency(owner);
    for (let j = 0; j < ACCESS_POINTS_PER_CONSUMER; j++) {
      const name = accessPointName(i, j);
      const arn = accessPointArn(account, name);
      const statements = readStatements(arn);
      const roleArn = readerRoleArn(account, j);
      addAccessPoint(stack, `AccessPoint${j}`, name, statements, roleArn);
      grantReader({ stack, index: j, name, arn, readerRoleArn: roleArn, statements });
    }
  });
}
