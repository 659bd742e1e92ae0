import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import accessPointBlockPublicAccess from './rules/access-point-block-public-access';
import accessPointBucketAccountId from './rules/access-point-bucket-account-id';
import accessPointPolicyNotPublic from './rules/access-point-policy-not-public';
import accessPointPolicyObjectResources from './rules/access-point-policy-object-resources';
import bucketPolicyWildcardPrincipalBounded from './rules/bucket-policy-wildcard-principal-bounded';
import delegatingBucketNoAwsManagedKey from './rules/delegating-bucket-no-aws-managed-key';
import delegationWithoutDeleteObjectVersion from './rules/delegation-without-delete-object-version';

/**
 * cdk-nag checks for sharing S3 buckets across accounts with access points, on any template: the
 * consumer's `AWS::S3::AccessPoint` resources and the owner's buckets and bucket policies, whether
 * written with this library or not. Rule IDs are `CAAP-1` to `CAAP-7`.
 *
 * Values known only at deploy time (parameters, references, imports) are not judged.
 *
 * @example
 * import { Validations } from 'aws-cdk-lib';
 * import { CrossAccountAccessPointsChecks } from 'cdk-cross-account-access-points';
 *
 * declare const app: App;
 * declare const bucket: DelegatedBucket;
 * Validations.of(app).addPlugins(new CrossAccountAccessPointsChecks(app));
 * // A finding that stands for a reason is acknowledged, with the reason, where it is reported or on a parent:
 * Validations.of(bucket).acknowledge({ id: 'CAAP-7', reason: 'The archive account prunes old versions.' });
 */
export class CrossAccountAccessPointsChecks extends NagPack {
  /** The name of this validation plugin in CDK's validation report. */
  public readonly name: string = 'CrossAccountAccessPoints';

  /**
   * @param scope the app, needed only with `writeSuppressionsToCloudFormation`
   * @param props cdk-nag's options: `verbose` adds each rule's explanation to its findings
   */
  public constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    // Rule IDs are PACK-SUFFIX: CAAP-1 ... CAAP-7.
    this.packName = 'CAAP';
  }

  /**
   * Apply every rule to a CloudFormation resource. cdk-nag calls it for each resource of the app.
   *
   * @param node the resource to check
   */
  protected checkResource(node: CfnResource): void {
    this.applyRule({
      ruleSuffixOverride: '1',
      info: 'The S3 access point does not have all four Block Public Access settings on.',
      explanation: 'S3 cannot change an access point\'s Block Public Access settings after it is created. With one of BlockPublicAcls, '
        + 'IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets off, a later change of its policy can make the data it '
        + 'serves public. Leave PublicAccessBlockConfiguration out (S3 then turns all four on) or set all four to true: a '
        + 'configuration that leaves a setting out does not count it as on.',
      level: NagMessageLevel.ERROR,
      rule: accessPointBlockPublicAccess,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: '2',
      info: 'The S3 access point policy allows a wildcard principal without a fixed-value condition on who may call.',
      explanation: 'A statement that allows Principal "*" (or NotPrincipal) is public unless a condition bounds it to fixed values '
        + 'of a key that names the caller or its account: StringEquals (or StringLike or an ARN operator without wildcards) on '
        + 'aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalArn, aws:SourceAccount and the like. IfExists and '
        + 'ForAllValues operators match when the key is absent, so they bound nothing. Name the principals, or add such a condition.',
      level: NagMessageLevel.ERROR,
      rule: accessPointPolicyNotPublic,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: '3',
      info: 'The S3 access point names a bucket that this template does not define, without BucketAccountId.',
      explanation: 'Bucket names are global. Without the bucket owner\'s account, the access point attaches to whichever account '
        + 'owns a bucket of that name when it is created, and consumers\' writes would go there. Set BucketAccountId to the '
        + 'owner\'s account: CloudFormation then fails rather than attach to another account\'s bucket.',
      level: NagMessageLevel.ERROR,
      rule: accessPointBucketAccountId,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: '4',
      info: 'The S3 access point policy names objects in another form than arn:PARTITION:s3:REGION:ACCOUNT:accesspoint/NAME/object/KEY.',
      explanation: 'Requests through an access point are authorized against accesspoint/NAME for listing and accesspoint/NAME/object/KEY '
        + 'for objects. A resource such as accesspoint/NAME/ResearchData/* or accesspoint/NAME/*, or object actions on '
        + 'accesspoint/NAME alone, match no request or more than the key prefix: an Allow grants nothing and a Deny protects nothing.',
      level: NagMessageLevel.ERROR,
      rule: accessPointPolicyObjectResources,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: '5',
      info: 'The S3 bucket policy allows a wildcard principal without a fixed-value condition on who may call.',
      explanation: 'A delegation to access points allows Principal "*" and is bounded by fixed values of s3:DataAccessPointAccount or '
        + 's3:DataAccessPointArn, or of aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount and the '
        + 'like, with StringEquals (or StringLike or an ARN operator without wildcards). Without such a bound the bucket is '
        + 'public; with IfExists or ForAllValues operators, or aws:SourceArn alone, it is not bounded. Deny statements may name every principal.',
      level: NagMessageLevel.ERROR,
      rule: bucketPolicyWildcardPrincipalBounded,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: '6',
      info: 'The S3 bucket delegates to access points of other accounts but encrypts with the AWS-managed aws/s3 key.',
      explanation: 'The key policy of the AWS-managed aws/s3 key cannot be changed and trusts its own account only, so other accounts '
        + 'cannot decrypt the objects it encrypts, whatever the bucket policy allows. Use SSE-S3 (AES256) or a customer-managed '
        + 'KMS key whose policy trusts the delegated accounts.',
      level: NagMessageLevel.ERROR,
      rule: delegatingBucketNoAwsManagedKey,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: '7',
      info: 'The S3 bucket policy delegates s3:DeleteObjectVersion to access points.',
      explanation: 'DeleteObject on a versioned bucket only adds a delete marker; s3:DeleteObjectVersion destroys a version for good. '
        + 'A delegation with it (or with s3:*, s3:Delete*, or NotAction) lets whoever the access points let in destroy the '
        + 'owner\'s data. Acknowledge the finding when that is intended.',
      level: NagMessageLevel.WARN,
      rule: delegationWithoutDeleteObjectVersion,
      node,
    });
  }
}
