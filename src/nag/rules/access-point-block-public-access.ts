import { parse } from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnAccessPoint } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { isObject, property } from '../policy-statements';

const SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'];

/**
 * S3 access points keep all four Block Public Access settings on. Without a configuration, S3 turns
 * all four on for a new access point; a configuration that turns one off, or leaves one out, does
 * not count as on. Settings that are deploy-time values (parameters, conditions) are not judged.
 * @param node the CfnResource to check
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnAccessPoint)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    if (node.publicAccessBlockConfiguration === undefined) {
      return NagRuleCompliance.COMPLIANT;
    }
    const configuration: unknown = Stack.of(node).resolve(node.publicAccessBlockConfiguration);
    if (!isObject(configuration)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const off = SETTINGS.some((setting) => {
      const value = property(configuration, setting);
      // true or 'true' is on; an intrinsic function is known at deploy time only
      return value !== true && value !== 'true' && !isObject(value);
    });
    return off ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);
