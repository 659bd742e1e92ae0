import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnAccessPoint, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { isObject } from '../policy-statements';

/** The logical ID that a resolved `Ref` or `Fn::GetAtt` points to. */
function referencedLogicalId(value: unknown): string | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  const getAtt = value['Fn::GetAtt'];
  const id = value.Ref ?? (Array.isArray(getAtt) ? getAtt[0] : undefined);
  return typeof id === 'string' ? id : undefined;
}

/**
 * S3 access points on a bucket that this template does not define name the bucket's account
 * (`BucketAccountId`). Bucket names are global: without the account, the access point attaches to
 * whichever account owns a bucket of that name when it is created. A bucket of the same template
 * (a `Ref` or `Fn::GetAtt` to its `AWS::S3::Bucket`, or its literal name) is in the stack's account.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnAccessPoint)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const stack = Stack.of(node);
    const accountId: unknown = stack.resolve(node.bucketAccountId);
    if (accountId !== undefined && accountId !== '') {
      return NagRuleCompliance.COMPLIANT;
    }
    const bucket: unknown = stack.resolve(node.bucket);
    const logicalId = referencedLogicalId(bucket);
    const inThisTemplate = stack.node.findAll().some((c) => c instanceof CfnBucket
      && Stack.of(c) === stack
      && (logicalId !== undefined
        ? logicalId === stack.resolve(c.logicalId)
        : typeof bucket === 'string' && bucket === stack.resolve(c.bucketName)));
    return inThisTemplate ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
