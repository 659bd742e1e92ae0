import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnBucketPolicy } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { Verdict, isUnboundedWildcardAllow, statementsOf } from '../policy-statements';

/**
 * S3 bucket policies bound every `Allow` to a wildcard principal by fixed values of a condition key
 * that names whom they trust: `s3:DataAccessPointAccount`, `s3:DataAccessPointArn` (a delegation to
 * access points), `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
 * `aws:SourceAccount`, ..., with `StringEquals`, or with `StringLike` or an ARN operator and no
 * wildcard. `Deny` statements may name every principal.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnBucketPolicy)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const policy: unknown = Stack.of(node).resolve(node.policyDocument);
    return statementsOf(policy).some((s) => isUnboundedWildcardAllow(s) === Verdict.YES)
      ? NagRuleCompliance.NON_COMPLIANT
      : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
