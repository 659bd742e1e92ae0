import { ArnComponents, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/**
 * An ARN through `Stack.formatArn`, with the partition written out when the stack's Region is
 * known (`aws` for eu-west-3, say), so that policies hold plain strings instead of an `Fn::Join`
 * around the `AWS::Partition` reference, and their size is known exactly at synth.
 */
export function formatArn(stack: Stack, components: ArnComponents): string {
  const partition = Token.isUnresolved(stack.region) ? undefined : RegionInfo.get(stack.region).partition;
  return stack.formatArn({ partition, ...components });
}
