/**
 * Read synthesized templates into the evaluator's models: what would be deployed, resolved the
 * way CloudFormation would resolve it in the `aws` partition.
 */
import { createHash } from 'crypto';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AccessPointModel, BucketModel, KmsKeyModel, resolveTemplateValue } from './access-evaluator';
import { createSampleApp } from '../../sample/sample-app';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

export function resourcesOf(stack: Stack, type: string): Resources {
  return Template.fromStack(stack).findResources(type) as Resources;
}

/** The ARN under which tests know a stack's KMS key (its real ARN is only known after deployment). */
export function keyArnOf(stack: Stack, logicalId: string): string {
  const hex = createHash('sha256').update(logicalId).digest('hex');
  return `arn:aws:kms:${stack.region}:${stack.account}:key/${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Ref and GetAtt values of the stack's buckets (by their physical names) and keys. */
function bucketRefs(stack: Stack): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const id of Object.keys(resourcesOf(stack, 'AWS::KMS::Key'))) {
    refs[`${id}.Arn`] = keyArnOf(stack, id);
  }
  for (const [id, bucket] of Object.entries(resourcesOf(stack, 'AWS::S3::Bucket'))) {
    const name = String(bucket.Properties.BucketName ?? `generated-${id.toLowerCase()}`);
    refs[id] = name;
    refs[`${id}.Arn`] = `arn:aws:s3:::${name}`;
  }
  return refs;
}

/** Ref and GetAtt values of the stack's IAM roles and users (their names, or the logical id when unnamed). */
function identityRefs(stack: Stack): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const [type, kind, nameProperty] of [['AWS::IAM::Role', 'role', 'RoleName'], ['AWS::IAM::User', 'user', 'UserName']]) {
    for (const [id, identity] of Object.entries(resourcesOf(stack, type))) {
      const name = String(identity.Properties?.[nameProperty] ?? id);
      refs[id] = name;
      refs[`${id}.Arn`] = `arn:aws:iam::${stack.account}:${kind}/${name}`;
    }
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
  const options = { region: consumer.region, accountId: consumer.account, refs: identityRefs(consumer) };
  return Object.values(resourcesOf(consumer, 'AWS::S3::AccessPoint')).map((ap) => ({
    name: String(ap.Properties.Name),
    account: consumer.account,
    region: consumer.region,
    networkOrigin: ap.Properties.VpcConfiguration ? 'VPC' : 'Internet',
    policy: ap.Properties.Policy ? (resolveTemplateValue(ap.Properties.Policy, options) as object) : undefined,
  }));
}

/** The identity policies CDK attached to a role or user of the stack, resolved. */
export function identityPoliciesOf(identity: iam.Role | iam.User): object[] {
  const stack = Stack.of(identity);
  const logicalId = stack.getLogicalId(identity.node.defaultChild as iam.CfnRole);
  const options = { region: stack.region, accountId: stack.account, refs: identityRefs(stack) };
  return Object.values(resourcesOf(stack, 'AWS::IAM::Policy'))
    .filter((p) => JSON.stringify([p.Properties.Roles, p.Properties.Users]).includes(`"${logicalId}"`))
    .map((p) => resolveTemplateValue(p.Properties.PolicyDocument, options) as object);
}

/** A KMS key of the stack with its key policy resolved, under the ARN tests know it by. */
export function keyModel(key: kms.Key): KmsKeyModel {
  const stack = Stack.of(key);
  const logicalId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
  const resource = Template.fromStack(stack).toJSON().Resources[logicalId];
  return {
    arn: keyArnOf(stack, logicalId),
    account: stack.account,
    policy: resolveTemplateValue(resource.Properties.KeyPolicy, { region: stack.region, accountId: stack.account }) as object,
  };
}

/** The sample app as a user would run it, with optional context overrides. */
export function synthSample(context: Record<string, string> = {}) {
  const app = new App({ context });
  return createSampleApp(app);
}
