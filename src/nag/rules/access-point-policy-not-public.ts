import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnAccessPoint } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { Verdict, isUnboundedWildcardAllow, statementsOf } from '../policy-statements';

/**
 * S3 access point policies are not public: every statement that allows a wildcard principal
 * (`*`, `{ AWS: '*' }`, or `NotPrincipal`) is bounded by fixed values of a condition key that names
 * whom it trusts (`StringEquals aws:PrincipalAccount`, `aws:PrincipalOrgID`, `aws:PrincipalArn`, ...).
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnAccessPoint)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const policy: unknown = Stack.of(node).resolve(node.policy);
    const statements = statementsOf(policy);
    if (statements.length === 0) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return statements.some((s) => isUnboundedWildcardAllow(s) === Verdict.YES)
      ? NagRuleCompliance.NON_COMPLIANT
      : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
