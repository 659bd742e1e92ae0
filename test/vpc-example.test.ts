/**
 * The VPC example (sample/vpc-example.ts): the owner delegates reads of ResearchData/ to VPC-origin
 * access points of account 111122223333 only; the consumer's access point accepts requests from
 * its VPC, whose S3 gateway endpoint lets requests through to that access point and its bucket.
 */
import { App, CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { evaluateThroughAccessPoint, resolveTemplateValue } from './support/access-evaluator';
import { accessPointModels, delegatedBucketModel, identityPoliciesOf, resourcesOf } from './support/template-models';
import { createVpcExample } from '../sample/vpc-example';

const ACCESS_POINT_ARN = 'arn:aws:s3:eu-west-3:111122223333:accesspoint/research-vpc-access-point';

describe('VPC example', () => {
  const app = new App();
  const example = createVpcExample(app);
  const { owner, consumer } = example;
  const assembly = app.synth();
  const logicalId = (element: { node: { defaultChild?: unknown } }) => consumer.getLogicalId(element.node.defaultChild as CfnElement);

  test('the owner and the consumer are accounts 123456789010 and 111122223333 in eu-west-3', () => {
    expect([owner.account, owner.region]).toEqual(['123456789010', 'eu-west-3']);
    expect([consumer.account, consumer.region]).toEqual(['111122223333', 'eu-west-3']);
  });

  test('the access point is restricted to the example VPC, on the owner bucket, Block Public Access on', () => {
    const vpcId = logicalId(example.vpc);
    expect(vpcId).toMatch(/^Analytics[0-9A-F]{8}$/);
    const accessPoints = Template.fromStack(consumer).findResources('AWS::S3::AccessPoint');
    expect(Object.values(accessPoints).map((ap) => ap.Properties)).toEqual([expect.objectContaining({
      Name: 'research-vpc-access-point',
      Bucket: 'test-bucket-1',
      BucketAccountId: '123456789010',
      VpcConfiguration: { VpcId: { Ref: vpcId } },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    })]);
    expect(example.accessPoint.networkOrigin).toBe('VPC');
  });

  test('the owner delegates reads of ResearchData/ to VPC-origin access points of 111122223333 only', () => {
    Template.fromStack(owner).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'],
          Resource: ['arn:aws:s3:::test-bucket-1/ResearchData/*', 'arn:aws:s3:::test-bucket-1'],
          Condition: {
            StringEquals: {
              's3:DataAccessPointAccount': ['111122223333'],
              's3:AccessPointNetworkOrigin': 'VPC',
            },
            StringLikeIfExists: { 's3:prefix': ['ResearchData/', 'ResearchData/*'] },
          },
        }]),
      },
    });
    // No statement allows the account without the network origin condition.
    const policy = JSON.stringify(Template.fromStack(owner).findResources('AWS::S3::BucketPolicy'));
    expect(policy.match(/111122223333/g)).toHaveLength(1);
  });

  test('the VPC is small: two isolated subnets in eu-west-3a and eu-west-3b, no NAT gateway, no Internet gateway', () => {
    const template = Template.fromStack(consumer);
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet')).map((s) => s.Properties);
    expect(subnets.map((s) => [s.AvailabilityZone, s.CidrBlock, s.MapPublicIpOnLaunch]))
      .toEqual([['eu-west-3a', '10.20.0.0/24', false], ['eu-west-3b', '10.20.1.0/24', false]]);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
  });

  test('the S3 gateway endpoint routes both subnets and its policy allows the access point and the bucket', () => {
    const template = Template.fromStack(consumer);
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint'));
    expect(endpoints).toHaveLength(1);
    const [endpoint] = endpoints;
    const routeTables = example.vpc.isolatedSubnets.map((subnet) => ({ Ref: consumer.getLogicalId(subnet.node.findChild('RouteTable') as CfnElement) }));
    expect(endpoint.Properties).toMatchObject({
      VpcEndpointType: 'Gateway',
      VpcId: { Ref: logicalId(example.vpc) },
      RouteTableIds: routeTables,
    });
    expect(resolveTemplateValue(endpoint.Properties.ServiceName, { region: 'eu-west-3' })).toBe('com.amazonaws.eu-west-3.s3');

    const refs = { [`${logicalId(example.accessPoint)}.Arn`]: ACCESS_POINT_ARN };
    expect(resolveTemplateValue(endpoint.Properties.PolicyDocument, { region: 'eu-west-3', accountId: '111122223333', refs })).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'ResearchDataThroughAccessPoint',
        Effect: 'Allow',
        Principal: '*',
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'],
        Resource: [
          ACCESS_POINT_ARN,
          `${ACCESS_POINT_ARN}/object/ResearchData/*`,
          'arn:aws:s3:::test-bucket-1',
          'arn:aws:s3:::test-bucket-1/ResearchData/*',
        ],
      }],
    });
  });

  test('the analysts role reads ResearchData/ through the VPC access point, and nothing else', () => {
    const role = `arn:aws:iam::111122223333:role/${logicalId(example.analysts)}`;
    const identityPolicies = identityPoliciesOf(example.analysts);
    const [accessPoint] = accessPointModels(consumer);
    const bucket = delegatedBucketModel(owner);
    const request = (key: string) => ({ principal: role, identityPolicies, action: 's3:GetObject', key });

    expect(accessPoint.networkOrigin).toBe('VPC');
    expect(evaluateThroughAccessPoint(request('ResearchData/2024/survey.csv'), accessPoint, bucket))
      .toEqual({ allowed: true, explanation: 'access point: Allowed; bucket: Allowed' });
    expect(evaluateThroughAccessPoint(request('Finance/budget.csv'), accessPoint, bucket).allowed).toBe(false);
    // The same access point with network origin Internet: the owner's delegation does not cover it.
    expect(evaluateThroughAccessPoint(request('ResearchData/2024/survey.csv'), { ...accessPoint, networkOrigin: 'Internet' }, bucket))
      .toEqual({ allowed: false, explanation: 'access point: Allowed; bucket: ImplicitlyDenied' });
  });

  test('the role\'s own policy names the access point only, not the bucket', () => {
    const policies = resourcesOf(consumer, 'AWS::IAM::Policy');
    expect(Object.keys(policies)).toHaveLength(1);
    const text = JSON.stringify(Object.values(policies)[0].Properties.PolicyDocument);
    expect(text).toContain(`${ACCESS_POINT_ARN}/object/ResearchData/*`);
    expect(text).not.toContain('arn:aws:s3:::test-bucket-1');
  });

  test('synthesis reports no error or warning and looks nothing up in the accounts', () => {
    for (const stack of [owner, consumer]) {
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    }
    expect(assembly.manifest.missing ?? []).toEqual([]);
  });

  test('the consumer stack depends on the owner stack, so that `cdk deploy --all` deploys the owner first', () => {
    expect(consumer.dependencies).toEqual([owner]);
    expect(owner.dependencies).toEqual([]);
  });
});
