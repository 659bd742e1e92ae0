/**
 * The sample app reproduces the AWS Storage Blog scenario: owner 123456789010 shares ResearchData/
 * of test-bucket-1 with account 111122223333, whose access point lets the IAM user Jane read it.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthSample } from './support/template-models';
import { createSampleApp } from '../sample/sample-app';

describe('sample app', () => {
  const { owner, consumer } = synthSample();

  test('owner stack matches its snapshot', () => {
    expect(Template.fromStack(owner).toJSON()).toMatchSnapshot();
  });

  test('consumer stack matches its snapshot', () => {
    expect(Template.fromStack(consumer).toJSON()).toMatchSnapshot();
  });

  test('the two stacks are the blog accounts in eu-west-3', () => {
    expect([owner.account, owner.region]).toEqual(['123456789010', 'eu-west-3']);
    expect([consumer.account, consumer.region]).toEqual(['111122223333', 'eu-west-3']);
  });

  test('the owner delegates reads of ResearchData/ in test-bucket-1 to account 111122223333', () => {
    const template = Template.fromStack(owner);
    template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'test-bucket-1' });
    // One statement for objects and listing, listing narrowed to the folder where a prefix is given,
    // then the guard that denies listing without a prefix through any access point.
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: '*',
            Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'],
            Resource: ['arn:aws:s3:::test-bucket-1/ResearchData/*', 'arn:aws:s3:::test-bucket-1'],
            Condition: {
              StringEquals: { 's3:DataAccessPointAccount': ['111122223333'] },
              StringLikeIfExists: { 's3:prefix': ['ResearchData/', 'ResearchData/*'] },
            },
          },
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:ListBucket',
            Resource: 'arn:aws:s3:::test-bucket-1',
            // The owner's own access points are exempt: the guard is for delegated accounts.
            Condition: {
              Null: { 's3:prefix': 'true', 's3:DataAccessPointAccount': 'false' },
              StringNotEquals: { 's3:DataAccessPointAccount': ['123456789010'] },
            },
          },
        ]),
      },
    });
  });

  test('the owner\'s policy names account 111122223333 once, after the bucket\'s own TLS statement', () => {
    const [policy] = Object.values(Template.fromStack(owner).findResources('AWS::S3::BucketPolicy', {
      Properties: { Bucket: { Ref: Match.stringLikeRegexp('^MarketingData[0-9A-F]{8}$') } },
    }));
    const statements: any[] = policy.Properties.PolicyDocument.Statement;
    expect(statements[0]).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(JSON.stringify(statements).match(/111122223333/g)).toHaveLength(1);
  });

  test('the consumer access point is the blog one, on the owner bucket, Internet origin, Block Public Access on', () => {
    Template.fromStack(consumer).hasResourceProperties('AWS::S3::AccessPoint', {
      Name: 'janes-researchdata-access-point',
      Bucket: 'test-bucket-1',
      BucketAccountId: '123456789010',
      VpcConfiguration: Match.absent(),
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  test('Jane is named with the corrected ARN (the blog omits the empty Region field)', () => {
    const policy = JSON.stringify(Template.fromStack(consumer).findResources('AWS::S3::AccessPoint'));
    expect(policy).toContain('"arn:aws:iam::111122223333:user/Jane"');
    expect(policy).not.toContain('arn:aws:iam:111122223333:user/Jane');
    Template.fromStack(consumer).hasResourceProperties('AWS::S3::AccessPoint', {
      Policy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { AWS: 'arn:aws:iam::111122223333:user/Jane' },
          Action: ['s3:GetObject', 's3:GetObjectVersion'],
          Resource: 'arn:aws:s3:eu-west-3:111122223333:accesspoint/janes-researchdata-access-point/object/ResearchData/*',
        })]),
      },
    });
  });

  test('the consumer publishes the access point ARN and alias (step 3 of the blog)', () => {
    const outputs = Template.fromStack(consumer).toJSON().Outputs;
    const values = Object.values(outputs).map((o: any) => o.Value);
    expect(values).toEqual(expect.arrayContaining([
      { 'Fn::GetAtt': [expect.stringMatching(/^JanesAccessPoint/), 'Arn'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^JanesAccessPoint/), 'Alias'] },
    ]));
  });

  test('every value can be overridden with context', () => {
    const custom = synthSample({
      ownerAccount: '210987654321',
      consumerAccount: '444455556666',
      region: 'us-east-1',
      bucketName: 'research-share',
      prefix: 'Studies/',
      accessPointName: 'studies-reader',
      userArn: 'arn:aws:iam::444455556666:role/Analyst',
    });
    expect([custom.owner.account, custom.consumer.account, custom.consumer.region]).toEqual(['210987654321', '444455556666', 'us-east-1']);
    const accessPoint = Template.fromStack(custom.consumer).findResources('AWS::S3::AccessPoint');
    expect(JSON.stringify(accessPoint)).toContain('arn:aws:iam::444455556666:role/Analyst');
    Template.fromStack(custom.consumer).hasResourceProperties('AWS::S3::AccessPoint', {
      Name: 'studies-reader',
      Bucket: 'research-share',
      BucketAccountId: '210987654321',
    });
    Template.fromStack(custom.owner).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Resource: ['arn:aws:s3:::research-share/Studies/*', 'arn:aws:s3:::research-share'],
          Condition: {
            StringEquals: { 's3:DataAccessPointAccount': ['444455556666'] },
            StringLikeIfExists: { 's3:prefix': ['Studies/', 'Studies/*'] },
          },
        })]),
      },
    });
  });

  test('without a userArn, Jane belongs to the consumer account given as context', () => {
    const custom = synthSample({ consumerAccount: '444455556666' });
    const policy = JSON.stringify(Template.fromStack(custom.consumer).findResources('AWS::S3::AccessPoint'));
    expect(policy).toContain('"arn:aws:iam::444455556666:user/Jane"');
    expect(policy).not.toContain('111122223333');
  });

  test('the blog principal, given as context, is rejected with the corrected form', () => {
    const app = new App({ context: { userArn: 'arn:aws:iam:111122223333:user/Jane' } });
    expect(() => createSampleApp(app)).toThrow(
      /SampleConsumer\/JanesAccessPoint: grantRead grantee must have an empty Region field, as IAM ARNs do: use "arn:aws:iam::111122223333:user\/Jane" \(got "arn:aws:iam:111122223333:user\/Jane"\)/,
    );
  });
});
