import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/*
 * Requester Pays. AWS::S3::Bucket has no property for it, so an AwsCustomResource calls
 * PutBucketRequestPayment: `Requester` on create and update, `BucketOwner` on delete.
 */

/** The construct id of the custom resource, under the DelegatedBucket. */
const REQUESTER_PAYS_ID = 'RequesterPays';

/** The SDK call that makes the bucket's requesters, or its owner, pay for requests and data transfer. */
function requestPayment(bucketName: string, payer: 'Requester' | 'BucketOwner', physicalResourceId: cr.PhysicalResourceId): cr.AwsSdkCall {
  return {
    service: 'S3',
    action: 'putBucketRequestPayment',
    parameters: { Bucket: bucketName, RequestPaymentConfiguration: { Payer: payer } },
    physicalResourceId,
  };
}

/**
 * Turn Requester Pays on for `bucket`, and back off when the custom resource leaves the stack.
 *
 * The Lambda function may call `s3:PutBucketRequestPayment` on this bucket only. The physical ID is
 * made from the bucket's name, so it stays the same across updates: a changed physical ID would make
 * CloudFormation delete the old resource after the update, and so turn Requester Pays off again.
 */
export function enableRequesterPays(scope: Construct, bucket: s3.IBucket, bucketArn: string): cr.AwsCustomResource {
  const physicalResourceId = cr.PhysicalResourceId.of(`${bucket.bucketName}/requester-pays`);
  const enable = requestPayment(bucket.bucketName, 'Requester', physicalResourceId);
  const resource = new cr.AwsCustomResource(scope, REQUESTER_PAYS_ID, {
    resourceType: 'Custom::S3BucketRequesterPays',
    onCreate: enable,
    onUpdate: enable,
    // A bucket deleted already (a removal policy of DESTROY, or by hand) has nothing left to turn off.
    onDelete: { ...requestPayment(bucket.bucketName, 'BucketOwner', physicalResourceId), ignoreErrorCodesMatching: 'NoSuchBucket' },
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['s3:PutBucketRequestPayment'], resources: [bucketArn] }),
    ]),
    // The SDK in the Lambda runtime has PutBucketRequestPayment: no download from npm at deploy time.
    installLatestAwsSdk: false,
  });
  // Made after the bucket and removed before it, also when the bucket's name is a literal (no Ref).
  resource.node.addDependency(bucket.node.defaultChild!);
  acknowledgeProviderFindings(Stack.of(scope));
  return resource;
}

/**
 * cdk-nag's ID of its finding on a role with the AWS-managed basic execution role. `acknowledge()`
 * of aws-cdk-lib 2.258 rejects IDs with more than one `::` (cdk-nag issue 2351), so this one is
 * written as the metadata that `acknowledge()` writes and cdk-nag reads.
 */
const BASIC_EXECUTION_ROLE_FINDING = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/**
 * AwsCustomResource runs one Lambda function per stack, outside the DelegatedBucket: acknowledge
 * there, with their reasons, the cdk-nag findings it has whatever the library does.
 */
function acknowledgeProviderFindings(stack: Stack): void {
  const functionId = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
  const provider = stack.node.tryFindChild(functionId);
  // A stack with several requester-pays buckets has one provider: acknowledge it once, as its metadata tells.
  const done = provider?.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY
    && BASIC_EXECUTION_ROLE_FINDING in (m.data as Record<string, unknown>));
  if (!provider || done) {
    return;
  }
  provider.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, {
    [BASIC_EXECUTION_ROLE_FINDING]: 'The AwsCustomResource provider of aws-cdk-lib writes its logs with the AWS-managed basic execution role; ' +
      'its S3 permission is an inline policy that names the bucket.',
  });
  Validations.of(provider).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'aws-cdk-lib chooses the runtime of its AwsCustomResource provider, which makes one SDK call at deploy time.',
  });
}
