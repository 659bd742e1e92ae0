import { Annotations, CfnResource, Duration, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { Delegation, DelegationOptions, OrganizationDelegation, OrganizationDelegationOptions } from './delegation';
import { addAccessAnalyzer } from './private/access-analyzer';
import { checkAdoption, markAdopted, ownershipOf, weakSettings } from './private/adopted-bucket';
import { formatArn } from './private/arns';
import { Boundary, delegationStatements, isOrganization } from './private/boundary';
import { checkDelegation, checkDelegations, checkOrganizationDelegation, checkOrganizationDelegations } from './private/delegation-checks';
import { SSE_ALGORITHMS } from './private/encryption';
import { generateBucketName } from './private/physical-names';
import { checkResourcePolicy, policyBytes } from './private/policy-checks';
import { Problems } from './private/problems';
import { PUBLISHED_BOUNDARY, publishedBoundary, readPublishedAttributes } from './private/published-boundary';
import { enableRequesterPays } from './private/requester-pays';
import { accountIdProblems, bucketNameProblems, keyArnProblems, prefixProblems, regionProblems } from './private/rules';
import { kmsActionsFor } from './private/s3-actions';
import { warnUntaggable } from './private/scope-checks';
import { literalViewIn } from './private/tokens';
import { Warnings } from './private/warnings';

const DELEGATED_BUCKET = Symbol.for('cdk-cross-account-access-points.DelegatedBucket');

/**
 * Parts of uploads that never completed cost storage and are nobody's data; removing them after a
 * week deletes no object and no version.
 */
const ABORT_INCOMPLETE_UPLOADS: s3.LifecycleRule = {
  id: 'AbortIncompleteMultipartUploads',
  abortIncompleteMultipartUploadAfter: Duration.days(7),
};

/**
 * A bucket that trusted accounts reach through their own access points: what a consumer needs
 * to build a `CrossAccountAccessPoint` on it.
 */
export interface IDelegatedBucket extends IConstruct {
  /** The bucket's name. */
  readonly bucketName: string;
  /** The bucket's ARN. */
  readonly bucketArn: string;
  /** The ID of the account that owns the bucket. */
  readonly bucketAccount: string;
  /** The Region of the bucket; access points on it must be in the same Region. */
  readonly bucketRegion: string;
  /**
   * The customer-managed KMS key that encrypts the bucket's objects.
   *
   * @default - objects are encrypted with S3-managed keys (SSE-S3)
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * A bucket in another app, described by its attributes.
 */
export interface DelegatedBucketAttributes {
  /** The bucket's name. */
  readonly bucketName: string;
  /** The 12-digit ID of the account that owns the bucket. */
  readonly account: string;
  /** The bucket's Region, for example `eu-west-3`. */
  readonly region: string;
  /**
   * The ARN of the customer-managed KMS key that encrypts the bucket's objects
   * (`arn:aws:kms:REGION:ACCOUNT:key/ID`). Required when `encryption` is `KMS` or `DSSE`: without
   * it, grantees would get no KMS permission and every read would be denied.
   *
   * @default - the bucket uses S3-managed keys (SSE-S3)
   */
  readonly encryptionKeyArn?: string;

  /**
   * How the owner encrypts the bucket's objects, as the owner publishes it.
   *
   * @default - `KMS` when `encryptionKeyArn` is given, otherwise `S3_MANAGED`
   */
  readonly encryption?: s3.BucketEncryption;

  /**
   * The owner's delegations to accounts, as the owner publishes them. When given, grants on access
   * points to this bucket are checked against them at synth, as for a `DelegatedBucket` of the
   * same app.
   *
   * @default - the owner's delegations are not known here: grants are not checked against them
   */
  readonly delegations?: Delegation[];

  /**
   * The owner's delegations to organizations, as the owner publishes them (see `delegations`).
   *
   * @default - none known
   */
  readonly organizationDelegations?: OrganizationDelegation[];
}

/**
 * Where a consumer app finds the boundary an owner's `DelegatedBucket` published.
 */
export interface CloudAssemblyBucketOptions {
  /**
   * The owner app's cloud assembly: the directory its `cdk synth` wrote (`cdk.out`), or a copy of it.
   */
  readonly directory: string;

  /**
   * The bucket's name, when the assembly publishes more than one bucket.
   *
   * @default - the only bucket the assembly publishes
   */
  readonly bucketName?: string;

  /**
   * The owner's account, when the assembly publishes buckets of the same name in several accounts
   * (one per stage, say).
   *
   * @default - any account
   */
  readonly account?: string;
}

/**
 * Properties of a `DelegatedBucket`.
 */
export interface DelegatedBucketProps {
  /**
   * An existing bucket of this app to delegate on, instead of creating one: an `s3.Bucket` (or
   * `s3.Bucket.fromCfnBucket`) in the same stack as the `DelegatedBucket`.
   *
   * The bucket keeps its construct path, so its logical ID, and every setting it has: the library
   * reads its default encryption (and `encryptionKey`) and changes nothing else. The delegations
   * join its bucket policy after its own statements. A warning lists the settings weaker than
   * those of a bucket the library creates (Block Public Access, Object Ownership, versioning, TLS
   * only, retention). Delegating writes to a bucket whose Object Ownership lets writers own
   * objects, or whose template does not state it, is an error, as is a second bucket policy
   * resource on the bucket.
   *
   * A bucket imported by name or ARN (`s3.Bucket.fromBucketName`) is rejected: its policy is not
   * in this app, and the library never overwrites a bucket policy it does not manage. Bring such a
   * bucket into a stack with CloudFormation resource import first (see the README).
   *
   * `bucketName`, `encryption`, `encryptionKey`, `serverAccessLogsBucket`,
   * `serverAccessLogsPrefix` and `removalPolicy` describe a bucket to create: they must not be
   * given with `bucket`.
   *
   * @default - a bucket is created
   */
  readonly bucket?: s3.IBucket;

  /**
   * The bucket's physical name.
   *
   * @default - in a stack with a concrete account and Region, a name derived from the construct
   * path, the account and the Region (the same on every synth, so adding or removing consumers never
   * renames, and so never replaces, the bucket); in an environment-agnostic stack, CloudFormation
   * names the bucket
   */
  readonly bucketName?: string;

  /**
   * Trusted accounts and the boundary each gets. More can be added with `delegateTo()`.
   *
   * @default - no account is trusted yet
   */
  readonly delegations?: Delegation[];

  /**
   * How objects are encrypted at rest: `S3_MANAGED` (SSE-S3), `KMS` or `DSSE` with a
   * customer-managed key. `KMS_MANAGED` and `DSSE_MANAGED` use the AWS-managed `aws/s3` key,
   * whose policy cannot let other accounts decrypt, and are rejected.
   *
   * @default - `KMS` when `encryptionKey` is given, otherwise `S3_MANAGED`
   */
  readonly encryption?: s3.BucketEncryption;

  /**
   * The customer-managed KMS key for `KMS` or `DSSE` encryption.
   *
   * @default - a key with rotation enabled is created when `encryption` is `KMS` or `DSSE`; it is
   * always retained, since it is the only way to read the objects it encrypted
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The bucket that receives the server access logs.
   *
   * @default - a log bucket (versioned, SSE-S3, Block Public Access, TLS only, retained) is created
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * The key prefix of the server access logs in the log bucket.
   *
   * @default - no prefix
   */
  readonly serverAccessLogsPrefix?: string;

  /**
   * What happens to the bucket (and a created log bucket) when it leaves the stack. Objects are
   * never deleted automatically: CloudFormation cannot delete a bucket that holds objects. A created
   * KMS key is always retained.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Whether requesters pay for requests and data transfer (Requester Pays), also through
   * consumers' access points. Requests must then say so: the `x-amz-request-payer: requester`
   * header, or `--request-payer requester` in the AWS CLI; S3 refuses any other request from
   * another account.
   *
   * CloudFormation cannot set it, so a custom resource (`AwsCustomResource`) calls
   * `PutBucketRequestPayment` on deploy, and sets the owner as payer again when it is removed.
   *
   * @default false
   */
  readonly requesterPays?: boolean;

  /**
   * Whether to create an IAM Access Analyzer analyzer (type `ACCOUNT`, the owner's account as the
   * zone of trust) whose archive rules mark as expected the findings that the delegations cause, on
   * this bucket and on its customer-managed key, so that only sharing nobody delegated stays active.
   *
   * An account has at most one analyzer of type `ACCOUNT` per Region: turn this on for one bucket per
   * account and Region, and not where the account already has one.
   *
   * @default false
   */
  readonly accessAnalyzer?: boolean;
}

/**
 * An S3 bucket whose owner delegates access control to trusted accounts' access points.
 *
 * Secure by default: all four Block Public Access settings, TLS only, Object Ownership
 * `BucketOwnerEnforced` (objects written through a consumer's access point belong to the owner),
 * versioning, server access logs, retention on removal, and a lifecycle rule that only aborts
 * multipart uploads left incomplete for 7 days. The bucket policy allows requests
 * that arrive through access points of trusted accounts (`s3:DataAccessPointAccount`), within the
 * boundary set for each account; it is never public by AWS's definition. Accounts that may write
 * cannot bring their own encryption, so every object stays readable by the owner.
 *
 * @example
 * const bucket = new DelegatedBucket(this, 'Research', { bucketName: 'test-bucket-1' });
 * bucket.delegateTo('111122223333', { actions: S3Actions.READ, prefixes: ['ResearchData'] });
 */
export class DelegatedBucket extends Construct implements IDelegatedBucket {
  /**
   * Reference a bucket of another app, to build access points on it.
   *
   * The owner's delegations are not known here, so an access point on such a bucket cannot
   * check its grants against them at synth.
   */
  public static fromDelegatedBucketAttributes(scope: Construct, id: string, attrs: DelegatedBucketAttributes): IDelegatedBucket {
    return new ImportedDelegatedBucket(scope, id, attrs);
  }

  /**
   * Reference a bucket of another app by the boundary its `DelegatedBucket` published in that
   * app's cloud assembly, to build access points on it. Grants on them are checked against the
   * owner's delegations at synth, as for a `DelegatedBucket` of the same app.
   *
   * Every `DelegatedBucket` whose name, account, Region and delegations are known at synth
   * publishes its boundary: a metadata entry of type `cdk-cross-account-access-points:boundary`
   * in its stack's metadata file. When the owner's stack creates the KMS key, its ARN is known only
   * after deployment: grantees' KMS permissions then name the owner's keys by pattern (`key/*`),
   * and the owner's key policy is the boundary.
   */
  public static fromCloudAssembly(scope: Construct, id: string, options: CloudAssemblyBucketOptions): IDelegatedBucket {
    const at = [scope.node.path, id].filter((p) => p).join('/');
    const { attributes, keyArnPattern } = readPublishedAttributes(at, options);
    return new ImportedDelegatedBucket(scope, id, attributes, keyArnPattern);
  }

  /** Whether `x` is a `DelegatedBucket` (works across copies of this library). */
  public static isDelegatedBucket(x: any): x is DelegatedBucket {
    return typeof x === 'object' && x !== null && DELEGATED_BUCKET in x;
  }

  /**
   * The bucket, created or adopted. Owner-side grants, notifications and metrics work on it as on
   * any bucket.
   */
  public readonly bucket: s3.IBucket;
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly bucketAccount: string;
  public readonly bucketRegion: string;
  public readonly encryptionKey?: kms.IKey;
  /**
   * The bucket that receives the server access logs.
   *
   * @default - none for an adopted bucket, whose logging is its own
   */
  public readonly serverAccessLogsBucket?: s3.IBucket;

  private readonly boundaries: Boundary[] = [];
  /** The boundaries by trusted account, and those that may hold any account (organizations, tokens). */
  private readonly boundariesByAccount = new Map<string, Boundary[]>();
  private readonly openBoundaries: Boundary[] = [];
  /** The delegation statements, made from the boundaries when first rendered, and made again after each new delegation. */
  private delegationDocument?: iam.PolicyDocument;
  /** The bucket's ARN for policies: a plain string when the name and Region are known at synth. */
  private readonly bucketArnForPolicies: string;
  /** Whether the guard against writes that bring their own encryption is in the policy. */
  private writesGuarded = false;
  /** The bucket's server-side encryption, as writes name it in `x-amz-server-side-encryption`. */
  /** Accounts that may use the key, by the KMS actions they need, and whether the key policy took the statement. */
  private readonly keyUsers = new Map<string, { readonly accounts: string[]; readonly added: boolean }>();
  /** The bucket's ARN without a reference to the bucket, when its name is known at synth. */
  private readonly bucketArnForKeyPolicy?: string;
  /** The bucket's name when it is known at synth, to measure its policy exactly. */
  private readonly physicalName?: string;
  /** How the bucket encrypts its objects. */
  private readonly encryption: s3.BucketEncryption;
  /** Whether the bucket was given (`bucket`) rather than created. */
  private readonly adopted: boolean;
  private delegateToCalls = 0;
  private delegateToOrganizationCalls = 0;

  public constructor(scope: Construct, id: string, props: DelegatedBucketProps = {}) {
    super(scope, id);
    Object.defineProperty(this, DELEGATED_BUCKET, { value: true });

    const problems = new Problems();
    const adopted = props.bucket ? checkAdoption(this, problems, props.bucket, props) : undefined;
    const encryption = adopted?.encryption ?? props.encryption ?? (props.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED);
    if (!props.bucket) {
      checkCreationProps(this, problems, props, encryption);
    } else if (adopted?.encryptionKey) {
      checkCustomerManagedKey(this, problems, 'bucket.encryptionKey', adopted.encryptionKey);
    }
    const boundaries = checkDelegations(this, problems, props.delegations ?? []);
    problems.throwIfAny(this);

    this.encryption = encryption;
    const usesKey = encryption === s3.BucketEncryption.KMS || encryption === s3.BucketEncryption.DSSE;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.serverAccessLogsBucket = adopted ? undefined : props.serverAccessLogsBucket ?? this.createLogBucket(removalPolicy);
    if (adopted) {
      this.encryptionKey = adopted.encryptionKey;
    } else if (usesKey) {
      this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
        description: `Encrypts the objects of ${this.node.path}; trusted accounts may use it only through S3`,
        enableKeyRotation: true,
        // Deleting the key would make every object it encrypted unreadable, whatever the bucket's fate.
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }

    // Known at synth, so that the key policy can name the bucket without depending on it (the
    // bucket depends on the key) and consumers in other environments can reference it. Without
    // a concrete account and Region, a path-derived name would clash between deployments of the
    // same stack, so CloudFormation names the bucket (and no other environment can reference it).
    // An adopted bucket keeps the name its template has, or has none: naming it would replace it.
    const stack = Stack.of(this);
    const concreteEnv = !Token.isUnresolved(stack.account) && !Token.isUnresolved(stack.region);
    const physicalName = adopted ? adopted.physicalName : props.bucketName ?? (concreteEnv ? generateBucketName(this) : undefined);
    const bucketArnForKeyPolicy = physicalName === undefined
      ? undefined
      : formatArn(stack, { service: 's3', region: '', account: '', resource: physicalName });
    const bucket = adopted?.bucket ?? this.createBucket(physicalName, encryption, removalPolicy, props.serverAccessLogsPrefix);
    this.bucket = bucket;
    this.adopted = adopted !== undefined;
    this.bucketName = bucket.bucketName;
    this.bucketArn = bucket.bucketArn;
    this.bucketAccount = stack.account;
    this.bucketRegion = stack.region;
    this.bucketArnForKeyPolicy = bucketArnForKeyPolicy;
    this.bucketArnForPolicies = bucketArnForKeyPolicy ?? bucket.bucketArn;
    this.physicalName = physicalName;
    // The bucket's own statements (TLS only for a created bucket; the owner's own for an adopted
    // one) are the policy's first; the delegations join them when the app is synthesized.
    const policy = bucket.policy ?? (bucket.policy = new s3.BucketPolicy(bucket, 'Policy', { bucket }));
    markAdopted(policy, this);
    (policy.node.defaultChild as s3.CfnBucketPolicy).policyDocument = Lazy.uncachedAny({ produce: () => this.renderPolicy(policy.document) });

    boundaries.forEach((boundary) => this.addBoundary(boundary));

    if (props.requesterPays) {
      enableRequesterPays(this, bucket, this.bucketArnForPolicies);
    }
    if (props.accessAnalyzer) {
      const analyzer = addAccessAnalyzer(this, {
        bucketName: physicalName ?? bucket.bucketName,
        bucketArn: this.bucketArnForPolicies,
        keyArn: this.encryptionKey?.keyArn,
        ownerAccount: this.bucketAccount,
        boundaries: () => this.boundaries,
      });
      // The archive rules are in place before the policy shares with a new account, so its finding is archived.
      policy.node.addDependency(analyzer);
    }

    this.node.addValidation({ validate: () => this.validatePolicy() });
  }

  /**
   * Trust `account`'s access points with the given boundary. The account may then create access
   * points on this bucket and grant its own users anything within the boundary.
   *
   * Calling it again for the same account adds a second boundary (the account gets the union).
   * A boundary that overlaps another of the same account and is at least as loose in every
   * restriction (network origin, named access points, object tags), and looser in one, is rejected:
   * in a union, it would void the stricter one there.
   */
  public delegateTo(account: string, options: DelegationOptions = {}): void {
    this.delegateToCalls += 1;
    const problems = new Problems();
    const earlier = Token.isUnresolved(account) ? this.boundaries : this._boundariesFor(account);
    const boundary = checkDelegation(this, problems, { property: 'delegateTo', account, options, earlier, source: `delegateTo() call ${this.delegateToCalls}` });
    problems.throwIfAny(this);
    this.addBoundary(boundary!);
  }

  /**
   * Trust the principals of an AWS Organization (or of some of its organizational units) to reach
   * the bucket through access points, within the given boundary. The bucket policy grows by one
   * statement, however many accounts the organization has.
   *
   * The statement allows requests whose principal belongs to the organization
   * (`aws:PrincipalOrgID`, and `aws:PrincipalOrgPaths` for OUs) and that arrive through an access
   * point in the bucket's Region (`s3:DataAccessPointArn`), whoever owns that access point; the
   * access point's own policy, and the caller's identity policy, must allow the request too. No
   * principal reaches the bucket directly. An account that leaves the organization loses access at
   * once, through any access point: its principals no longer match `aws:PrincipalOrgID`.
   *
   * The library cannot know at synth which accounts belong to the organization: a consumer's grants
   * are checked against this boundary as if its account did, and an account's own delegation that
   * overlaps a looser organization delegation is rejected.
   */
  public delegateToOrganization(organizationId: string, options: OrganizationDelegationOptions = {}): void {
    this.delegateToOrganizationCalls += 1;
    const property = 'delegateToOrganization';
    const problems = new Problems();
    const boundary = checkOrganizationDelegation(this, problems, {
      property, organizationId, options, earlier: this.boundaries, source: `delegateToOrganization() call ${this.delegateToOrganizationCalls}`,
    });
    problems.throwIfAny(this);
    this.addBoundary(boundary!);
  }

  /**
   * The boundaries that may hold `account`'s access points, for access points of the same app to
   * check their grants: the account's own, and those whose trustee is not known to exclude it (an
   * organization, or an account known only at deploy time).
   *
   * @internal
   */
  public _boundariesFor(account: string): Boundary[] {
    return [...(this.boundariesByAccount.get(account) ?? []), ...this.openBoundaries];
  }

  private addBoundary(boundary: Boundary): void {
    this.boundaries.push(boundary);
    if (isOrganization(boundary) || Token.isUnresolved(boundary.account)) {
      this.openBoundaries.push(boundary);
    } else {
      this.boundariesByAccount.set(boundary.account, [...(this.boundariesByAccount.get(boundary.account) ?? []), boundary]);
    }
    this.delegationDocument = undefined;
    this.allowKeyUse(boundary);
    if (boundary.actions.includes('s3:PutObject')) {
      this.guardWrites();
    }
    if (boundary.actions.includes('s3:DeleteObjectVersion')) {
      Annotations.of(this).addWarningV2(
        Warnings.DELETE_OBJECT_VERSION_DELEGATED,
        `${isOrganization(boundary) ? 'Organization' : 'Account'} ${boundary.account} may delete object versions (s3:DeleteObjectVersion): ` +
          'that destroys data even on a versioned bucket',
      );
    }
    warnUntaggable(this, `${boundary.source} (${isOrganization(boundary) ? 'organization' : 'account'} ${boundary.account})`, boundary.actions, boundary.objectTags);
  }

  private createBucket(
    physicalName: string | undefined, encryption: s3.BucketEncryption, removalPolicy: RemovalPolicy, logPrefix?: string,
  ): s3.Bucket {
    const bucket = new s3.Bucket(this, 'Resource', {
      bucketName: physicalName,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      encryption,
      encryptionKey: this.encryptionKey,
      // S3 Bucket Keys cut KMS requests; DSSE-KMS does not support them.
      bucketKeyEnabled: encryption === s3.BucketEncryption.KMS ? true : undefined,
      lifecycleRules: [ABORT_INCOMPLETE_UPLOADS],
      removalPolicy,
    });
    this.deliverAccessLogs(bucket, this.serverAccessLogsBucket!, logPrefix);
    return bucket;
  }

  private createLogBucket(removalPolicy: RemovalPolicy): s3.IBucket {
    const logs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED, // log delivery supports SSE-S3 only
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [ABORT_INCOMPLETE_UPLOADS],
      removalPolicy,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the server access logs of the delegated bucket; logging it into itself would loop.',
    });
    return logs;
  }

  /**
   * Server access logs, delivered under the log bucket's policy: ACLs are off (BucketOwnerEnforced)
   * on our buckets, and should be on any log bucket. aws-cdk-lib does the same behind the feature
   * flag `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy`; doing it here makes it independent of
   * the app's flags and of where a given log bucket lives.
   */
  private deliverAccessLogs(bucket: s3.Bucket, logs: s3.IBucket, prefix?: string): void {
    (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: logs.bucketName,
      logFilePrefix: prefix,
    };
    const result = logs.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [logs.arnForObjects(`${prefix ?? ''}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': bucket.bucketArn },
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      },
    }));
    if (!result.statementAdded) {
      Annotations.of(this).addWarningV2(
        Warnings.LOG_BUCKET_POLICY_NOT_MANAGED,
        'The policy of the given serverAccessLogsBucket is not managed by this stack: let logging.s3.amazonaws.com put objects ' +
          'there for this bucket (aws:SourceArn, aws:SourceAccount), or no access logs will arrive',
      );
    }
  }

  /**
   * The bucket policy as deployed: its own statements (TLS only, the write guard, and what users
   * add to `bucket.bucket`), then the delegations, made from all boundaries at synth, when every
   * delegation is known (see `delegationStatements`).
   */
  private renderPolicy(own: iam.PolicyDocument): unknown {
    const stack = Stack.of(this);
    const arn = this.bucketArnForPolicies;
    if (!this.delegationDocument) {
      const statements = delegationStatements(this.boundaries, {
        objects: (keyPattern) => `${arn}/${keyPattern}`,
        list: arn,
        accessPoint: (account, name) => formatArn(stack, { service: 's3', region: this.bucketRegion, account, resource: 'accesspoint', resourceName: name }),
        anyAccessPoint: formatArn(stack, { service: 's3', region: this.bucketRegion, account: '*', resource: 'accesspoint', resourceName: '*' }),
      }, this.bucketAccount);
      this.delegationDocument = new iam.PolicyDocument({
        statements: statements.map(({ effect, ...parts }) => new iam.PolicyStatement({
          effect: effect === 'Deny' ? iam.Effect.DENY : iam.Effect.ALLOW,
          principals: [new iam.StarPrincipal()],
          ...parts,
        })),
      });
    }
    const statementsOf = (document: iam.PolicyDocument) => (stack.resolve(document) as { Statement?: unknown[] } | undefined)?.Statement ?? [];
    return { Version: '2012-10-17', Statement: [...statementsOf(own), ...statementsOf(this.delegationDocument)] };
  }

  /**
   * Objects written through consumers' access points must stay readable by the owner: deny writes
   * through any access point that bring their own encryption (SSE-C, another algorithm than the
   * bucket's, a KMS key other than the bucket's, or `aws:kms` without a key ID, which means the
   * AWS-managed key). Made once, when the first delegation that may write is made; it names no
   * account, so it does not grow with them.
   */
  private guardWrites(): void {
    if (this.writesGuarded) {
      return;
    }
    this.writesGuarded = true;
    const throughAccessPoints = { 's3:DataAccessPointAccount': 'false' };
    const sse = 's3:x-amz-server-side-encryption';
    const keyId = 's3:x-amz-server-side-encryption-aws-kms-key-id';
    const deny = (conditions: Record<string, Record<string, unknown>>) => this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.StarPrincipal()],
      actions: ['s3:PutObject'],
      resources: [`${this.bucketArnForPolicies}/*`],
      conditions,
    }));
    // A negated operator matches when the key is absent: Null makes each deny apply only when the
    // writer names an encryption, so writes that leave encryption to the bucket's default pass.
    deny({ Null: { ...throughAccessPoints, 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } });
    deny({ Null: { ...throughAccessPoints, [sse]: 'false' }, StringNotEquals: { [sse]: SSE_ALGORITHMS[this.encryption] } });
    if (this.encryptionKey) {
      deny({ Null: { ...throughAccessPoints, [keyId]: 'false' }, StringNotEquals: { [keyId]: this.encryptionKey.keyArn } });
      // "aws:kms" without a key ID makes S3 use the AWS-managed aws/s3 key, which no other account can use.
      deny({ Null: { ...throughAccessPoints, [sse]: 'false', [keyId]: 'true' } });
    }
  }

  /**
   * With a customer-managed key, the account may use it only through S3 in this Region, for this
   * bucket. Accounts that need the same KMS actions share one statement, so the key policy grows by
   * an account ID per account. The owner's own account needs no statement: the key's policy
   * already lets its IAM policies decide.
   */
  private allowKeyUse(boundary: Boundary): void {
    const key = this.encryptionKey;
    if (!key || boundary.account === this.bucketAccount) {
      return;
    }
    const keyActions = kmsActionsFor(boundary.actions);
    if (isOrganization(boundary)) {
      this.allowOrganizationKeyUse(key, boundary, keyActions);
      return;
    }
    let group = this.keyUsers.get(keyActions.join());
    if (!group) {
      const accounts: string[] = [];
      const result = key.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.StarPrincipal()],
        actions: keyActions,
        resources: ['*'],
        conditions: {
          StringEquals: {
            'kms:ViaService': `s3.${this.bucketRegion}.amazonaws.com`,
            'kms:CallerAccount': Lazy.list({ produce: () => accounts }),
          },
          ...this.encryptionContextCondition(),
        },
      }));
      group = { accounts, added: result.statementAdded };
      this.keyUsers.set(keyActions.join(), group);
    }
    if (!group.accounts.includes(boundary.account)) {
      group.accounts.push(boundary.account);
    }
    if (!group.added) {
      Annotations.of(this).addWarningV2(
        Warnings.KEY_POLICY_NOT_MANAGED,
        `The policy of the given encryption key is not managed by this stack: let account ${boundary.account} use it through S3 ` +
          `(${keyActions.join(', ')} with kms:ViaService s3.${this.bucketRegion}.amazonaws.com), or its access points cannot read the objects`,
      );
    }
  }

  /** An organization's principals may use the key through S3 in this Region, for this bucket. */
  private allowOrganizationKeyUse(key: kms.IKey, boundary: Boundary, keyActions: string[]): void {
    const paths = boundary.organizationalUnitPaths ?? [];
    const result = key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.StarPrincipal()],
      actions: keyActions,
      resources: ['*'],
      conditions: {
        StringEquals: { 'kms:ViaService': `s3.${this.bucketRegion}.amazonaws.com`, 'aws:PrincipalOrgID': boundary.account },
        ...(paths.length > 0 ? { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': paths.map((p) => `${p}*`) } } : {}),
        ...this.encryptionContextCondition(),
      },
    }));
    if (!result.statementAdded) {
      Annotations.of(this).addWarningV2(
        Warnings.KEY_POLICY_NOT_MANAGED,
        `The policy of the given encryption key is not managed by this stack: let the principals of organization ${boundary.account} use it ` +
          `through S3 (${keyActions.join(', ')} with kms:ViaService s3.${this.bucketRegion}.amazonaws.com), or their access points cannot read the objects`,
      );
    }
  }

  /** S3 names the bucket (with S3 Bucket Keys) or the object in the encryption context. */
  private encryptionContextCondition(): Record<string, Record<string, string[]>> {
    const arn = this.bucketArnForKeyPolicy;
    return arn ? { StringLike: { 'kms:EncryptionContext:aws:s3:arn': [arn, `${arn}/*`] } } : {};
  }

  private validatePolicy(): string[] {
    const stack = Stack.of(this);
    const deployTimePrefixes = this.boundaries.flatMap((b) => b.prefixes).filter((p) => typeof stack.resolve(p) !== 'string');
    if (deployTimePrefixes.length > 0) {
      Annotations.of(this).addWarningV2(
        Warnings.DEPLOY_TIME_PREFIX,
        `${deployTimePrefixes.length} delegated prefix(es) are known only at deploy time and cannot be checked or normalised: ` +
          'each value must end with "/", or "Data" would also share "Data-private/"',
      );
    }
    this.publishBoundary();
    const errors: string[] = [];
    if (this.adopted) {
      errors.push(...this.validateAdoptedSettings());
    }
    errors.push(...this.otherPolicies());
    const document = (this.bucket.policy?.node.defaultChild as s3.CfnBucketPolicy | undefined)?.policyDocument;
    if (document) {
      const bucketId = stack.resolve((this.bucket.node.defaultChild as s3.CfnBucket).ref).Ref as string;
      const knownBucketNames = this.physicalName !== undefined && !Token.isUnresolved(this.physicalName) ? { [bucketId]: this.physicalName } : {};
      errors.push(...checkResourcePolicy(this, {
        policy: 'bucket policy',
        document,
        limitBytes: 20_480,
        nearLimitWarning: Warnings.BUCKET_POLICY_NEAR_LIMIT,
        ifPublic: 'AWS would call the bucket public and Block Public Access would reject the policy',
        knownBucketNames,
        overLimitAdvice: (bytes) => {
          const trusted = this.boundaries.length;
          // The bucket's own statements take room whatever the delegations: count only what they leave.
          const base = policyBytes(this, this.bucket.policy!.document, knownBucketNames);
          return `It holds ${trusted} delegation(s); about ${Math.floor((trusted * (20_480 - base)) / (bytes - base))} fit. ` +
            'To share with many accounts, delegate to an organization or its organizational units (delegateToOrganization), ' +
            'whose statement does not grow with the number of accounts, or give accounts the same boundary: accounts with ' +
            'identical boundaries share a statement and add only their ID';
        },
      }));
    }
    if (this.encryptionKey && this.boundaries.length > 0 && !this.bucketArnForKeyPolicy) {
      const why = 'the key policy names the bucket (kms:EncryptionContext:aws:s3:arn) so that delegated accounts can use the key for this ' +
        'bucket only, and CloudFormation would name it only at deploy time';
      errors.push(this.adopted
        ? `bucket (${this.bucket.node.path}) must have a name known at synth to delegate on it with its KMS key: ${why}. Adding a name to a deployed bucket replaces ` +
          'it: use a key whose policy this stack does not manage (kms.Key.fromKeyArn) and add the key statements yourself'
        : `bucketName must be given for a KMS-encrypted bucket in an environment-agnostic stack that delegates: ${why}`);
    }
    const cfnKey = this.encryptionKey?.node.defaultChild;
    if (cfnKey instanceof kms.CfnKey) {
      errors.push(...checkResourcePolicy(this, {
        policy: 'key policy',
        document: cfnKey.keyPolicy,
        limitBytes: 32_768,
        nearLimitWarning: Warnings.KEY_POLICY_NEAR_LIMIT,
        ifPublic: 'AWS would call the key public',
      }));
    }
    return errors;
  }

  /**
   * Publish the boundary in the cloud assembly, for consumer apps (`fromCloudAssembly`), once every
   * delegation is made.
   */
  private publishBoundary(): void {
    const published = publishedBoundary({
      path: this.node.path,
      bucketName: this.physicalName,
      account: this.bucketAccount,
      region: this.bucketRegion,
      encryption: this.encryption,
      encryptionKeyArn: this.encryptionKey?.keyArn,
      boundaries: this.boundaries,
    });
    if (typeof published === 'string') {
      Annotations.of(this).addInfo(`The boundary is not published in the cloud assembly for consumer apps: ${published}`);
    } else if (!this.node.metadata.some((m) => m.type === PUBLISHED_BOUNDARY)) {
      // Validation may run more than once (the command checks a manifest's stacks before it synthesizes them).
      this.node.addMetadata(PUBLISHED_BOUNDARY, published);
    }
  }

  /**
   * A bucket has one policy: another bucket policy resource on this bucket in the stack would
   * replace the delegations (or be replaced by them) on each deploy, and deleting either deletes both.
   */
  private otherPolicies(): string[] {
    const stack = Stack.of(this);
    const own = this.bucket.policy?.node.defaultChild;
    const cfnBucket = this.bucket.node.defaultChild as CfnResource;
    const names = [JSON.stringify({ Ref: stack.resolve(cfnBucket.logicalId) }), ...(this.physicalName ? [JSON.stringify(this.physicalName)] : [])];
    return stack.node.findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::S3::BucketPolicy' && c !== own)
      .filter((c) => names.includes(JSON.stringify(stack.resolve((c as s3.CfnBucketPolicy).bucket))))
      .map((c) => `bucket has a second bucket policy, ${c.node.path}: a bucket has one policy, so each deployment would replace the ` +
        `delegations or be replaced by them. Add its statements with ${this.node.path}.bucket.addToResourcePolicy() and remove it`);
  }

  /**
   * An adopted bucket's settings are the owner's: report those weaker than a created bucket's, and
   * refuse to delegate writes where a writer would own what it writes.
   */
  private validateAdoptedSettings(): string[] {
    const weak = weakSettings(this.bucket, this.bucket.policy?.document);
    if (weak.length > 0) {
      Annotations.of(this).addWarningV2(
        Warnings.ADOPTED_BUCKET_SETTINGS,
        `The adopted bucket ${this.bucket.node.path} is less protected than a bucket this library creates: ${weak.join('; ')}`,
      );
    }
    const ownership = ownershipOf(this.bucket);
    const writers = this.boundaries.filter((b) => b.actions.includes('s3:PutObject'));
    if (writers.length > 0 && ownership !== 'BucketOwnerEnforced') {
      // A template without OwnershipControls (an imported bucket, say) says nothing of the real bucket's setting.
      const setting = ownership === undefined ? 'no Object Ownership stated in its template' : `Object Ownership ${JSON.stringify(ownership)}`;
      return [`bucket must have Object Ownership BucketOwnerEnforced to delegate writes (${writers.map((b) => b.source).join(', ')}): with ` +
        `${setting}, objects that other accounts write through their access points can belong to them, and the owner could not read ` +
        `them. Set objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED on ${this.bucket.node.path} (an update in place)`];
    }
    return [];
  }
}

/** The props that describe the bucket to create. */
function checkCreationProps(scope: IConstruct, problems: Problems, props: DelegatedBucketProps, encryption: s3.BucketEncryption): void {
  if (props.bucketName !== undefined) {
    problems.addAll('bucketName', bucketNameProblems(literalViewIn(scope, props.bucketName)), props.bucketName);
  }
  const usesKey = encryption === s3.BucketEncryption.KMS || encryption === s3.BucketEncryption.DSSE;
  if (encryption === s3.BucketEncryption.KMS_MANAGED || encryption === s3.BucketEncryption.DSSE_MANAGED) {
    problems.add('encryption', 'must not use the AWS-managed key aws/s3: its key policy cannot let other accounts decrypt; use S3_MANAGED or KMS with a customer-managed key', encryption);
  } else if (encryption === s3.BucketEncryption.UNENCRYPTED) {
    problems.add('encryption', 'must be S3_MANAGED, KMS or DSSE (S3 encrypts every object)', encryption);
  }
  if (props.encryptionKey && !usesKey) {
    problems.add('encryption', 'must be KMS or DSSE when an encryptionKey is given', encryption);
  }
  if (props.encryptionKey) {
    checkCustomerManagedKey(scope, problems, 'encryptionKey', props.encryptionKey);
  }
  if (props.serverAccessLogsPrefix !== undefined) {
    problems.addAll('serverAccessLogsPrefix', prefixProblems(props.serverAccessLogsPrefix), props.serverAccessLogsPrefix);
  }
}

/** A key that other accounts can be let use: customer-managed, and a key rather than an alias. */
function checkCustomerManagedKey(scope: IConstruct, problems: Problems, property: string, key: kms.IKey): void {
  const alias = aliasName(key);
  if (alias === 'alias/aws/s3') {
    problems.add(property, 'must be a customer-managed key: the AWS-managed aws/s3 key cannot serve cross-account reads', alias);
  } else if (alias !== undefined) {
    problems.add(property, 'must be a key, not an alias: identity policies cannot let consumers use a key through an alias ARN', alias);
  } else {
    problems.addAll(property, keyArnProblems(key.keyArn, Stack.of(scope).region), key.keyArn);
  }
}

/** The alias name when the key is an alias (`kms.Alias` or an alias ARN), otherwise undefined. */
function aliasName(key: kms.IKey): string | undefined {
  const name = (key as Partial<kms.IAlias>).aliasName;
  if (typeof name === 'string' && !Token.isUnresolved(name)) {
    return name;
  }
  const match = Token.isUnresolved(key.keyArn) ? null : /:(alias\/.+)$/.exec(key.keyArn);
  return match ? match[1] : undefined;
}

class ImportedDelegatedBucket extends Construct implements IDelegatedBucket {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly bucketAccount: string;
  public readonly bucketRegion: string;
  public readonly encryptionKey?: kms.IKey;
  /** The owner's boundaries, when the attributes describe them. */
  private readonly boundaries?: Boundary[];

  /**
   * @param keyArnPattern the owner's keys, for a KMS bucket whose key's ARN the owner could not publish
   */
  public constructor(scope: Construct, id: string, attrs: DelegatedBucketAttributes, keyArnPattern?: string) {
    super(scope, id);
    const problems = new Problems();
    problems.addAll('bucketName', bucketNameProblems(literalViewIn(this, attrs.bucketName)), attrs.bucketName);
    problems.addAll('account', accountIdProblems(literalViewIn(this, attrs.account)), attrs.account);
    problems.addAll('region', regionProblems(attrs.region), attrs.region);
    const keyArn = attrs.encryptionKeyArn;
    if (keyArn !== undefined) {
      problems.addAll('encryptionKeyArn', keyArnProblems(literalViewIn(this, keyArn), attrs.region), keyArn);
    }
    const encryption = attrs.encryption;
    if (keyArn === undefined && keyArnPattern === undefined && (encryption === s3.BucketEncryption.KMS || encryption === s3.BucketEncryption.DSSE)) {
      problems.add('encryptionKeyArn', `must be given for a bucket encrypted with ${encryption}: without it, grantees get no KMS permission and every read is denied`, keyArn);
    }
    if (encryption === s3.BucketEncryption.KMS_MANAGED || encryption === s3.BucketEncryption.DSSE_MANAGED) {
      problems.add('encryption', 'cannot serve other accounts: the AWS-managed aws/s3 key\'s policy cannot let them decrypt', encryption);
    }
    const known = attrs.delegations !== undefined || attrs.organizationDelegations !== undefined;
    const accounts = checkDelegations(this, problems, attrs.delegations ?? []);
    const organizations = checkOrganizationDelegations(this, problems, attrs.organizationDelegations ?? [], accounts);
    problems.throwIfAny(this);

    this.bucketName = attrs.bucketName;
    this.bucketAccount = attrs.account;
    this.bucketRegion = attrs.region;
    this.bucketArn = Stack.of(this).formatArn({ service: 's3', region: '', account: '', resource: attrs.bucketName });
    const usesKey = encryption === s3.BucketEncryption.KMS || encryption === s3.BucketEncryption.DSSE;
    if (keyArn !== undefined || (usesKey && keyArnPattern !== undefined)) {
      this.encryptionKey = kms.Key.fromKeyArn(this, 'Key', keyArn ?? keyArnPattern!);
    }
    this.boundaries = known ? [...accounts, ...organizations] : undefined;
  }

  /**
   * The owner's boundaries that may hold `account`, when the attributes describe them.
   *
   * @internal
   */
  public _boundariesFor(account: string): Boundary[] | undefined {
    return this.boundaries?.filter((b) => b.account === account || isOrganization(b) || Token.isUnresolved(b.account));
  }
}
