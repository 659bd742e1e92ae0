import { parse } from 'path';
import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { CfnBucket, CfnBucketPolicy } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { AccessPointCondition, DEPLOY_TIME, Verdict, accessPointDelegation, asList, literalText, property, statementsOf } from '../policy-statements';

/**
 * Whether the bucket's default encryption uses the AWS-managed `aws/s3` key: SSE-KMS or DSSE-KMS
 * without a key, or with the key's alias (`alias/aws/s3`, or its ARN).
 */
function usesAwsManagedKey(stack: Stack, bucket: CfnBucket): boolean {
  const encryption: unknown = stack.resolve(bucket.bucketEncryption);
  return asList(property(encryption, 'ServerSideEncryptionConfiguration')).some((rule) => {
    const byDefault = property(rule, 'ServerSideEncryptionByDefault');
    const algorithm = property(byDefault, 'SSEAlgorithm', 'sseAlgorithm');
    if (algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') {
      return false;
    }
    const key = property(byDefault, 'KMSMasterKeyID', 'kmsMasterKeyId');
    if (key === undefined || key === '') {
      return true;
    }
    const text = literalText(key);
    return text !== undefined && /(^|:)alias\/aws\/s3$/.test(text);
  });
}

/** The account field of an access point ARN's text (a pattern when it has wildcards), or `undefined` when it is deploy-time. */
function accountOfArn(text: string): string | undefined {
  const account = text.split(':')[4];
  return account === undefined || account.includes(DEPLOY_TIME) ? undefined : account;
}

/**
 * Whether a test of an access point key lets in access points of other accounts than the bucket's:
 * a negated or `Null` test, or an account (or account pattern, in an ARN) other than the stack's.
 * A value that depends on a deploy-time value (`AWS::AccountId` included), or a literal account
 * when the stack's own account is known only at deploy time, is not judged.
 */
function letsInOtherAccounts(test: AccessPointCondition, ownAccount: string): Verdict {
  // Null (any access point), and negated operators (StringNotEquals, ArnNotLike, ...): all but some.
  if (test.operator === 'null' || test.operator.includes('not')) {
    return Verdict.YES;
  }
  let verdict = Verdict.NO;
  for (const value of test.values) {
    const text = literalText(value);
    const account = text === undefined ? undefined
      : test.key === 's3:dataaccesspointarn' ? accountOfArn(text) : (text.includes(DEPLOY_TIME) ? undefined : text);
    // A pattern lets in other accounts whatever the stack's own account is.
    if (account !== undefined && (/[*?]/.test(account) || (!Token.isUnresolved(ownAccount) && account !== ownAccount))) {
      return Verdict.YES;
    }
    if (account === undefined || Token.isUnresolved(ownAccount)) {
      verdict = Verdict.UNKNOWN;
    }
  }
  return verdict;
}

/** The bucket policies of this stack that apply to the bucket (by `Ref`, or by its literal name). */
function policiesOf(stack: Stack, bucket: CfnBucket): CfnBucketPolicy[] {
  const ref: unknown = stack.resolve(bucket.ref);
  const name: unknown = stack.resolve(bucket.bucketName);
  return stack.node.findAll().filter((c): c is CfnBucketPolicy => c instanceof CfnBucketPolicy && Stack.of(c) === stack)
    .filter((policy) => {
      const target: unknown = stack.resolve(policy.bucket);
      return JSON.stringify(target) === JSON.stringify(ref) || (typeof name === 'string' && target === name);
    });
}

/**
 * S3 buckets whose policy delegates to access points of other accounts (`s3:DataAccessPointAccount`,
 * `s3:DataAccessPointArn`, as in a delegation to an organization) do not encrypt with the
 * AWS-managed `aws/s3` key: its key policy cannot be changed, so other accounts cannot decrypt
 * what it encrypts. A delegation to the bucket's own account's access points works with it.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnBucket)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const stack = Stack.of(node);
    if (!usesAwsManagedKey(stack, node)) {
      return NagRuleCompliance.COMPLIANT;
    }
    const delegatesToOthers = policiesOf(stack, node)
      .flatMap((policy) => statementsOf(stack.resolve(policy.policyDocument)))
      .flatMap(accessPointDelegation)
      .some((test) => letsInOtherAccounts(test, stack.account) === Verdict.YES);
    return delegatesToOthers ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
