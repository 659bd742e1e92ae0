import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { encryptionOfAlgorithm } from './encryption';
import { Problems } from './problems';

/*
 * An owner's existing bucket, defined in its app, that a DelegatedBucket delegates on: what the
 * library needs to know of it, and which of its settings are weaker than a bucket the library
 * would create. The bucket's settings are the owner's: the library reads them and never changes them.
 */

/** Marks a bucket policy whose document a DelegatedBucket renders, with the path of that DelegatedBucket. */
const ADOPTED_BY = Symbol.for('cdk-cross-account-access-points.adoptedBy');

/** What the library reads from an adopted bucket's template. */
export interface AdoptedBucket {
  readonly bucket: s3.IBucket;
  readonly encryption: s3.BucketEncryption;
  readonly encryptionKey?: kms.IKey;
  /** The bucket's name when the template gives it as a literal. */
  readonly physicalName?: string;
}

/** Props that describe a bucket to create, so none of them may come with one to adopt. */
const CREATION_PROPS = ['bucketName', 'encryption', 'encryptionKey', 'serverAccessLogsBucket', 'serverAccessLogsPrefix', 'removalPolicy'] as const;


/**
 * Check that `bucket` can be adopted by `scope` (a DelegatedBucket): a bucket of this app's
 * template, in the same stack, not adopted already, with a default encryption other accounts can
 * use. Returns what the library needs of it, or undefined when it recorded problems.
 */
export function checkAdoption(
  scope: IConstruct, problems: Problems, bucket: s3.IBucket, props: Partial<Record<(typeof CREATION_PROPS)[number], unknown>>,
): AdoptedBucket | undefined {
  const before = problems.size;
  for (const prop of CREATION_PROPS) {
    if (props[prop] !== undefined) {
      problems.add(prop, 'must not be given with bucket: the adopted bucket keeps its own settings', describeProp(props[prop]));
    }
  }
  const cfn = cfnBucketOf(bucket);
  if (!cfn) {
    problems.add('bucket', 'must be a bucket defined in this app (s3.Bucket, or s3.Bucket.fromCfnBucket): the policy of a bucket imported by ' +
      'name or ARN is not in this app\'s templates, and this library never overwrites a bucket policy it does not manage. Bring the bucket ' +
      'into a stack with CloudFormation resource import, then define it there', bucket.node.path);
    return undefined;
  }
  const stack = Stack.of(scope);
  if (Stack.of(cfn) !== stack) {
    problems.add('bucket', `must be in the stack of the DelegatedBucket (${stack.node.path}): its bucket policy is a resource of the bucket's stack`, bucket.node.path);
  }
  const adopter = bucket.policy ? (bucket.policy as unknown as Record<symbol, string>)[ADOPTED_BY] : undefined;
  if (adopter !== undefined) {
    problems.add('bucket', `is already the bucket of the DelegatedBucket ${adopter}: a bucket has one policy, so one DelegatedBucket holds all of its delegations`, bucket.node.path);
  }

  const defaults = stack.resolve((cfn as s3.CfnBucket).bucketEncryption)?.serverSideEncryptionConfiguration?.[0]?.serverSideEncryptionByDefault;
  const algorithm = defaults?.sseAlgorithm ?? 'AES256';
  const encryption = encryptionOfAlgorithm(algorithm);
  if (encryption === undefined) {
    problems.add('bucket', 'must have a default encryption known at synth (SSE-S3, SSE-KMS or DSSE-KMS): the guard on consumers\' writes names it', algorithm);
  } else if (encryption !== s3.BucketEncryption.S3_MANAGED && !bucket.encryptionKey) {
    problems.add('bucket', `must encrypt with a customer-managed key that this app knows (bucket.encryptionKey): ${algorithm} without one ` +
      'uses the AWS-managed aws/s3 key, whose policy cannot let other accounts decrypt', defaults?.kmsMasterKeyId ?? algorithm);
  }
  const name = stack.resolve((cfn as s3.CfnBucket).bucketName);
  if (problems.size > before) {
    return undefined;
  }
  return {
    bucket,
    encryption: encryption!,
    encryptionKey: encryption === s3.BucketEncryption.S3_MANAGED ? undefined : bucket.encryptionKey,
    physicalName: typeof name === 'string' && !Token.isUnresolved(name) ? name : undefined,
  };
}

/** Record that `adopter` renders the document of the bucket's policy, so that no other DelegatedBucket does. */
export function markAdopted(policy: s3.BucketPolicy, adopter: IConstruct): void {
  Object.defineProperty(policy, ADOPTED_BY, { value: adopter.node.path });
}

/**
 * The adopted bucket's settings that are weaker than those of a bucket the library creates, as
 * the template has them when the app is synthesized.
 */
export function weakSettings(bucket: s3.IBucket, policyDocument: unknown): string[] {
  const cfn = cfnBucketOf(bucket)! as s3.CfnBucket;
  const stack = Stack.of(cfn);
  const weak: string[] = [];
  const blocks = stack.resolve(cfn.publicAccessBlockConfiguration) ?? {};
  const blockNames = ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'];
  if (blockNames.some((n) => blocks[n] !== true)) {
    weak.push('Block Public Access is not on for all four settings');
  }
  if (ownershipOf(bucket) !== 'BucketOwnerEnforced') {
    weak.push('Object Ownership is not BucketOwnerEnforced, so ACLs still apply');
  }
  if (stack.resolve(cfn.versioningConfiguration)?.status !== 'Enabled') {
    weak.push('versioning is off: an object overwritten or deleted is gone');
  }
  if (!deniesInsecureTransport(stack.resolve(policyDocument))) {
    weak.push('the bucket policy does not deny requests without TLS (aws:SecureTransport)');
  }
  if (cfn.cfnOptions.deletionPolicy !== 'Retain' && cfn.cfnOptions.deletionPolicy !== 'RetainExceptOnCreate') {
    weak.push('the bucket is deleted when it leaves its stack (its removal policy is not RETAIN)');
  }
  return weak;
}

/** The bucket's Object Ownership as its template sets it, or undefined when the template does not say. */
export function ownershipOf(bucket: s3.IBucket): unknown {
  const cfn = cfnBucketOf(bucket)! as s3.CfnBucket;
  return Stack.of(cfn).resolve(cfn.ownershipControls)?.rules?.[0]?.objectOwnership;
}

function cfnBucketOf(bucket: s3.IBucket): CfnResource | undefined {
  const child = bucket.node.defaultChild;
  return CfnResource.isCfnResource(child) && child.cfnResourceType === 'AWS::S3::Bucket' ? child : undefined;
}

function deniesInsecureTransport(document: { Statement?: Array<Record<string, any>> } | undefined): boolean {
  return (document?.Statement ?? []).some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
}

function describeProp(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as IConstruct).node?.path ?? '<object>' : value;
}
