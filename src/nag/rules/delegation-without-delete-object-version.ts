import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnBucketPolicy } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { Verdict, accessPointDelegation, coversAction, statementsOf } from '../policy-statements';

/**
 * S3 bucket policies do not delegate `s3:DeleteObjectVersion` to access points: with it, whoever an
 * access point lets in can destroy the versions that versioning keeps, which no `DeleteObject` can.
 * A statement is a delegation when it allows requests through access points
 * (`s3:DataAccessPointAccount`, `s3:DataAccessPointArn`); `s3:*`, `s3:Delete*`, `*` and `NotAction`
 * include the action too.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnBucketPolicy)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const statements = statementsOf(Stack.of(node).resolve(node.policyDocument))
      .filter((s) => accessPointDelegation(s).length > 0);
    if (statements.length === 0) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return statements.some((s) => coversAction(s, 's3:DeleteObjectVersion') === Verdict.YES)
      ? NagRuleCompliance.NON_COMPLIANT
      : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
