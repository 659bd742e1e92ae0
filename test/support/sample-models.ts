/**
 * Read the sample's synthesized templates into the evaluator's models: what would be deployed,
 * resolved the way CloudFormation would resolve it in the `aws` partition.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessPointModel, BucketModel, resolveTemplateValue } from './access-evaluator';
import { createSampleApp } from '../../sample/sample-app';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

export function resourcesOf(stack: Stack, type: string): Resources {
  return Template.fromStack(stack).findResources(type) as Resources;
}

/** Ref and GetAtt values of the stack's buckets, by their physical names. */
function bucketRefs(stack: Stack): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const [id, bucket] of Object.entries(resourcesOf(stack, 'AWS::S3::Bucket'))) {
    const name = String(bucket.Properties.BucketName ?? `generated-${id.toLowerCase()}`);
    refs[id] = name;
    refs[`${id}.Arn`] = `arn:aws:s3:::${name}`;
  }
  return refs;
}

/** The bucket whose policy delegates to access points, with that policy resolved. */
export function delegatedBucketModel(owner: Stack): BucketModel {
  const refs = bucketRefs(owner);
  const policies = Object.values(resourcesOf(owner, 'AWS::S3::BucketPolicy'))
    .filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes('s3:DataAccessPoint'));
  if (policies.length !== 1) {
    throw new Error(`expected one delegating bucket policy in ${owner.stackName}, found ${policies.length}`);
  }
  const [policy] = policies;
  const options = { region: owner.region, accountId: owner.account, refs };
  return {
    name: String(resolveTemplateValue(policy.Properties.Bucket, options)),
    account: owner.account,
    region: owner.region,
    policy: resolveTemplateValue(policy.Properties.PolicyDocument, options) as object,
  };
}

/** Every access point of the consumer stack, with its policy resolved. */
export function accessPointModels(consumer: Stack): AccessPointModel[] {
  const options = { region: consumer.region, accountId: consumer.account };
  return Object.values(resourcesOf(consumer, 'AWS::S3::AccessPoint')).map((ap) => ({
    name: String(ap.Properties.Name),
    account: consumer.account,
    region: consumer.region,
    networkOrigin: ap.Properties.VpcConfiguration ? 'VPC' : 'Internet',
    policy: ap.Properties.Policy ? (resolveTemplateValue(ap.Properties.Policy, options) as object) : undefined,
  }));
}

/** The sample app as a user would run it, with optional context overrides. */
export function synthSample(context: Record<string, string> = {}) {
  const app = new App({ context });
  return createSampleApp(app);
}
