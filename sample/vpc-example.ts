/*
 * The blog's scenario with network origin VPC: the owner delegates reads of ResearchData/ only to
 * VPC-origin access points of the consumer account, and the consumer reads through an access point
 * that accepts requests from one VPC, reached through an S3 gateway endpoint.
 *
 * It synthesizes offline: both stacks have a concrete environment, and the consumer stack knows
 * its Availability Zones, so nothing is looked up in the account.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CrossAccountAccessPoint, DelegatedBucket, NetworkOrigin, S3Actions } from '../src';

/** The example's values. */
export const VPC_EXAMPLE = {
  ownerAccount: '123456789010',
  consumerAccount: '111122223333',
  region: 'eu-west-3',
  availabilityZones: ['eu-west-3a', 'eu-west-3b'],
  bucketName: 'test-bucket-1',
  prefix: 'ResearchData/',
  accessPointName: 'research-vpc-access-point',
};

/**
 * A stack that knows its Region's Availability Zones. Otherwise a VPC in a stack with a concrete
 * environment asks the account for them, which `cdk synth` does with credentials (and tests get
 * placeholder zones).
 */
class StackWithZones extends Stack {
  public get availabilityZones(): string[] {
    return VPC_EXAMPLE.availabilityZones;
  }
}

/** The stacks and the constructs a reader (or a test) looks at. */
export interface VpcExample {
  readonly owner: Stack;
  readonly consumer: Stack;
  readonly bucket: DelegatedBucket;
  readonly vpc: ec2.Vpc;
  readonly endpoint: ec2.GatewayVpcEndpoint;
  readonly accessPoint: CrossAccountAccessPoint;
  readonly analysts: iam.Role;
}

/** Build the owner and consumer stacks of the VPC example in `app`. */
export function createVpcExample(app: App): VpcExample {
  const settings = VPC_EXAMPLE;

  // Owner account: reads of ResearchData/, through VPC-origin access points of the consumer only.
  const owner = new Stack(app, 'VpcExampleOwner', {
    env: { account: settings.ownerAccount, region: settings.region },
    description: `Owner account ${settings.ownerAccount}: bucket ${settings.bucketName}, delegating ${settings.prefix} to VPC access points of ${settings.consumerAccount}`,
  });
  const bucket = new DelegatedBucket(owner, 'MarketingData', {
    bucketName: settings.bucketName,
    delegations: [{
      account: settings.consumerAccount,
      actions: S3Actions.READ,
      prefixes: [settings.prefix],
      networkOrigin: NetworkOrigin.VPC,
    }],
  });

  // Consumer account: a small VPC (isolated subnets, no NAT gateway), its S3 gateway endpoint,
  // and the access point that accepts requests from this VPC only.
  const consumer = new StackWithZones(app, 'VpcExampleConsumer', {
    env: { account: settings.consumerAccount, region: settings.region },
    description: `Consumer account ${settings.consumerAccount}: VPC access point ${settings.accessPointName} on ${settings.bucketName}`,
  });
  const vpc = new ec2.Vpc(consumer, 'Analytics', {
    ipAddresses: ec2.IpAddresses.cidr('10.20.0.0/16'),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
  // A route to S3 in the route table of every subnet of the VPC.
  const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });

  const accessPoint = new CrossAccountAccessPoint(consumer, 'ResearchAccessPoint', {
    bucket,
    accessPointName: settings.accessPointName,
    vpc,
  });
  const analysts = new iam.Role(consumer, 'Analysts', {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    description: `Reads ${settings.prefix} of ${settings.bucketName} through ${settings.accessPointName}, from the VPC`,
  });
  accessPoint.grantRead(analysts, { prefixes: [settings.prefix] });
  accessPoint.addOutputs();

  // A request through the access point passes the endpoint only when the endpoint policy allows
  // both the access point and the bucket behind it. The policy applies to every S3 request routed
  // through the endpoint: a VPC that uses other buckets must list them too. It grants nothing by
  // itself; a gateway endpoint's policy names the principal `*` (narrow it with aws:PrincipalArn).
  endpoint.addToPolicy(new iam.PolicyStatement({
    sid: 'ResearchDataThroughAccessPoint',
    principals: [new iam.StarPrincipal()],
    actions: S3Actions.READ.actions,
    resources: [
      accessPoint.accessPointArn,
      accessPoint.arnForObjects(`${settings.prefix}*`),
      bucket.bucketArn,
      `${bucket.bucketArn}/${settings.prefix}*`,
    ],
  }));

  return { owner, consumer, bucket, vpc, endpoint, accessPoint, analysts };
}
