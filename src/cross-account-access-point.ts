import { Annotations, ArnFormat, CfnOutput, IResource, Lazy, Resource, Stack, Stage, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { GrantOptions } from './access-scope';
import { DelegatedBucket, IDelegatedBucket } from './delegated-bucket';
import { NetworkOrigin } from './network-origin';
import { AccessPointGrants, awsPrincipals } from './private/access-point-grants';
import { formatArn } from './private/arns';
import { GrantedAccess, describeTags, whyNotCovered } from './private/boundary';
import { boundarySource } from './private/boundary-source';
import { UniqueNameCheck, generateAccessPointName } from './private/physical-names';
import { checkResourcePolicy } from './private/policy-checks';
import { Problems, describe } from './private/problems';
import { accessPointNameProblems, accountIdProblems, keyArnProblems, principalProblems, regionProblems } from './private/rules';
import { literalViewIn } from './private/tokens';
import { Warnings } from './private/warnings';
import { S3Actions } from './s3-actions';

/**
 * An S3 access point.
 */
export interface ICrossAccountAccessPoint extends IResource {
  /**
   * The ARN of the access point: `arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME`. Users pass it where
   * they would pass a bucket name (`aws s3api get-object --bucket ARN`).
   *
   * @attribute
   */
  readonly accessPointArn: string;

  /**
   * The name of the access point.
   *
   * @attribute
   */
  readonly accessPointName: string;

  /**
   * The alias S3 generates for the access point (`NAME-RANDOM-s3alias`), usable wherever a bucket
   * name is used for data operations.
   *
   * @attribute
   */
  readonly accessPointAlias: string;

  /**
   * The ARN of objects through this access point whose keys match `keyPattern`,
   * for example `arnForObjects('ResearchData/*')`.
   */
  arnForObjects(keyPattern: string): string;

  /**
   * Let `grantee` perform exactly these S3 actions within the scope, for example
   * `grant(jane, S3Actions.of('s3:GetObject'), { prefixes: ['ResearchData'] })` when the owner
   * delegates only `s3:GetObject`.
   *
   * @param grantee who gets the permissions
   * @param actions S3 object or list actions, without wildcards
   * @param options the scope of the grant
   */
  grant(grantee: iam.IGrantable, actions: S3Actions, options?: GrantOptions): iam.Grant;

  /**
   * Let `grantee` read (`S3Actions.READ`: `s3:GetObject`, `s3:GetObjectVersion`, `s3:ListBucket`) within the scope.
   *
   * @param grantee who gets the permissions
   * @param options the scope of the grant
   */
  grantRead(grantee: iam.IGrantable, options?: GrantOptions): iam.Grant;

  /**
   * Let `grantee` write (`S3Actions.WRITE`: `s3:PutObject`, `s3:DeleteObject`, `s3:AbortMultipartUpload`) within the scope.
   *
   * @param grantee who gets the permissions
   * @param options the scope of the grant
   */
  grantWrite(grantee: iam.IGrantable, options?: GrantOptions): iam.Grant;

  /**
   * Let `grantee` read and write (`S3Actions.READ_WRITE`) within the scope.
   *
   * @param grantee who gets the permissions
   * @param options the scope of the grant
   */
  grantReadWrite(grantee: iam.IGrantable, options?: GrantOptions): iam.Grant;
}

/**
 * An access point of another app (or created outside CDK), described by its attributes.
 */
export interface CrossAccountAccessPointAttributes {
  /** The ARN of the access point (`arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME`). */
  readonly accessPointArn: string;

  /**
   * The access point's alias.
   *
   * @default - the alias is unknown; reading `accessPointAlias` throws
   */
  readonly accessPointAlias?: string;

  /**
   * The customer-managed KMS key of the bucket behind the access point. Grants then include the
   * KMS actions on it, through S3 only.
   *
   * @default - the bucket uses S3-managed keys (SSE-S3)
   */
  readonly encryptionKeyArn?: string;
}

/**
 * Properties of a `CrossAccountAccessPoint`.
 */
export interface CrossAccountAccessPointProps {
  /**
   * The bucket, in another account: a `DelegatedBucket` of the same app, or
   * `DelegatedBucket.fromDelegatedBucketAttributes()`.
   */
  readonly bucket: IDelegatedBucket;

  /**
   * The access point's name: 3 to 50 lowercase letters, digits and hyphens, unique in the account
   * and Region.
   *
   * With a fixed name, the bucket, the VPC and Block Public Access cannot change later: CloudFormation
   * cannot replace a named access point (the new one cannot be created while the old one holds the
   * name), and S3 cannot change Block Public Access. Change the name together with them.
   *
   * @default - a name is generated from the construct path and from the settings that cannot change,
   * so that changing one of them replaces the access point cleanly under a new name
   */
  readonly accessPointName?: string;

  /**
   * Accept requests from this VPC only (network origin VPC). It cannot be changed after creation.
   *
   * @default - network origin Internet
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The access point's Block Public Access settings. S3 cannot change them after creation: with a
   * generated name, a change replaces the access point under a new name; with a fixed name, change
   * the name too.
   *
   * @default BlockPublicAccess.BLOCK_ALL
   */
  readonly blockPublicAccess?: s3.BlockPublicAccess;
}

const ACCESS_POINT_ARN = /^arn:aws[a-z-]*:s3:([a-z0-9-]+):(\d{12}):accesspoint\/([^/]+)$/;

abstract class AccessPointBase extends Resource implements ICrossAccountAccessPoint {
  public abstract readonly accessPointArn: string;
  public abstract readonly accessPointName: string;
  public abstract readonly accessPointAlias: string;

  /**
   * The grant engine, with what it needs to know of this access point.
   * @internal
   */
  protected abstract readonly _grants: AccessPointGrants;

  /**
   * The ARN as a formatted string, usable inside the access point's own policy.
   * @internal
   */
  protected abstract readonly _formattedArn: string;

  public arnForObjects(keyPattern: string): string {
    return `${this._formattedArn}/object/${keyPattern}`;
  }

  public grant(grantee: iam.IGrantable, actions: S3Actions, options: GrantOptions = {}): iam.Grant {
    return this._grants.grant('grant', grantee, actions.actions, options);
  }

  public grantRead(grantee: iam.IGrantable, options: GrantOptions = {}): iam.Grant {
    return this._grants.grant('grantRead', grantee, S3Actions.READ.actions, options);
  }

  public grantWrite(grantee: iam.IGrantable, options: GrantOptions = {}): iam.Grant {
    return this._grants.grant('grantWrite', grantee, S3Actions.WRITE.actions, options);
  }

  public grantReadWrite(grantee: iam.IGrantable, options: GrantOptions = {}): iam.Grant {
    return this._grants.grant('grantReadWrite', grantee, S3Actions.READ_WRITE.actions, options);
  }
}

/**
 * An S3 access point in this (consumer) account on a bucket in another (owner) account.
 *
 * The owner's bucket policy decides the boundary (see `DelegatedBucket.delegateTo`); this access
 * point's policy grants the consumer's own users access within it. A request is allowed only when
 * both allow it, so when the bucket is a `DelegatedBucket` of the same app, every grant is checked
 * at synth against the owner's delegation to this account.
 *
 * @example
 * declare const bucket: IDelegatedBucket;
 * const accessPoint = new CrossAccountAccessPoint(this, 'JanesAccessPoint', {
 *   bucket,
 *   accessPointName: 'janes-researchdata-access-point',
 * });
 * accessPoint.grantRead(new iam.ArnPrincipal('arn:aws:iam::111122223333:user/Jane'), { prefixes: ['ResearchData'] });
 */
export class CrossAccountAccessPoint extends AccessPointBase {
  /**
   * Reference an existing access point by its ARN. Grants on it write only the grantee's identity
   * policy: its access point policy belongs to whoever created it.
   */
  public static fromAccessPointArn(scope: Construct, id: string, accessPointArn: string): ICrossAccountAccessPoint {
    return CrossAccountAccessPoint.fromAccessPointAttributes(scope, id, { accessPointArn });
  }

  /**
   * Reference an existing access point by its attributes. Grants on it write only the grantee's
   * identity policy: its access point policy belongs to whoever created it.
   */
  public static fromAccessPointAttributes(scope: Construct, id: string, attrs: CrossAccountAccessPointAttributes): ICrossAccountAccessPoint {
    return new ImportedAccessPoint(scope, id, attrs);
  }

  /** Where requests may come from: `INTERNET`, or `VPC` when `vpc` is given. */
  public readonly networkOrigin: NetworkOrigin;
  /** The bucket behind the access point. */
  public readonly bucket: IDelegatedBucket;

  /** @internal */
  protected readonly _formattedArn: string;
  /** @internal */
  protected readonly _grants: AccessPointGrants;
  private readonly resource: s3.CfnAccessPoint;
  private nameAttribute?: string;
  private arnAttribute?: string;
  /** The access point policy: grants and addToResourcePolicy() add to it, after checking principals. */
  private readonly policyStatements: iam.PolicyStatement[] = [];

  public constructor(scope: Construct, id: string, props: CrossAccountAccessPointProps) {
    super(scope, id, { physicalName: props.accessPointName ?? generateName(scope, id, props) });
    const stack = Stack.of(this);
    const bucket = props.bucket;

    const problems = new Problems();
    problems.addAll('accessPointName', accessPointNameProblems(literalViewIn(this, this.physicalName)), this.physicalName);
    if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
      const shown = (v: string) => (Token.isUnresolved(v) ? '<unresolved token>' : v);
      problems.add('stack env', 'must name a concrete account and Region (env: { account, region }): an access point ARN and its policy need both', `${shown(stack.account)}/${shown(stack.region)}`);
    } else {
      problems.addAll('stack env account', accountIdProblems(stack.account), stack.account);
      problems.addAll('stack env region', regionProblems(stack.region), stack.region);
    }
    problems.addAll('bucket.bucketAccount', accountIdProblems(literalViewIn(this, bucket.bucketAccount)), bucket.bucketAccount);
    problems.addAll('bucket.bucketRegion', regionProblems(literalViewIn(this, bucket.bucketRegion)), bucket.bucketRegion);
    if (DelegatedBucket.isDelegatedBucket(bucket) && Stack.of(bucket) !== stack
      && (Token.isUnresolved(bucket.bucketAccount) || Token.isUnresolved(bucket.bucketRegion))) {
      // The owner stack's AWS::AccountId would resolve to this stack's own account here.
      problems.add('bucket', 'must be in a stack with a concrete account and Region (env: { account, region }): CloudFormation needs the owner\'s account as BucketAccountId', bucket.node.path);
    }
    if (!Token.isUnresolved(stack.region) && !Token.isUnresolved(bucket.bucketRegion) && stack.region !== bucket.bucketRegion) {
      problems.add('bucket.bucketRegion', `must equal the access point's Region ${describe(stack.region)}: an access point serves a bucket in its own Region only`, bucket.bucketRegion);
    }
    problems.throwIfAny(this);

    this.bucket = bucket;
    this.networkOrigin = props.vpc ? NetworkOrigin.VPC : NetworkOrigin.INTERNET;
    this._formattedArn = formatArn(stack, { service: 's3', resource: 'accesspoint', resourceName: this.physicalName });
    this._grants = new AccessPointGrants({
      scope: this,
      formattedArn: this._formattedArn,
      account: stack.account,
      region: stack.region,
      keyArn: this.keyArnFor(bucket),
      resource: this,
    });

    const blockPublicAccess = props.blockPublicAccess ?? s3.BlockPublicAccess.BLOCK_ALL;
    this.resource = new s3.CfnAccessPoint(this, 'Resource', {
      bucket: bucket.bucketName,
      bucketAccountId: bucket.bucketAccount,
      name: this.physicalName,
      vpcConfiguration: props.vpc ? { vpcId: props.vpc.vpcId } : undefined,
      publicAccessBlockConfiguration: {
        blockPublicAcls: blockPublicAccess.blockPublicAcls ?? false,
        blockPublicPolicy: blockPublicAccess.blockPublicPolicy ?? false,
        ignorePublicAcls: blockPublicAccess.ignorePublicAcls ?? false,
        restrictPublicBuckets: blockPublicAccess.restrictPublicBuckets ?? false,
      },
      // Produced on each resolution: grants made after a first resolution still join the policy.
      policy: Lazy.uncachedAny({ produce: () => this.renderPolicy() }),
    });
    // Owner first. Across CDK Stages a dependency is not allowed: the order of stages decides there.
    if (DelegatedBucket.isDelegatedBucket(bucket) && Stage.of(bucket) === Stage.of(this)) {
      this.node.addDependency(bucket);
    }


    const offSettings = ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets']
      .filter((k) => !(blockPublicAccess as unknown as Record<string, boolean | undefined>)[k]);
    if (offSettings.length > 0) {
      Annotations.of(this).addWarningV2(
        Warnings.BLOCK_PUBLIC_ACCESS_OFF,
        `Block Public Access settings ${offSettings.join(', ')} are off on this access point; it can then be made public`,
      );
    }

    this.node.addValidation({ validate: () => this.validate() });
    UniqueNameCheck.ensure(this, (c) => (c instanceof CrossAccountAccessPoint ? c.physicalName : undefined));
  }

  /**
   * The name of the access point.
   *
   * @attribute
   */
  public get accessPointName(): string {
    // Made on first use: an app with thousands of access points reads few of them.
    this.nameAttribute ??= this.getResourceNameAttribute(this.resource.ref);
    return this.nameAttribute;
  }

  /**
   * The ARN of the access point: `arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME`.
   *
   * @attribute
   */
  public get accessPointArn(): string {
    this.arnAttribute ??= this.getResourceArnAttribute(this.resource.attrArn, {
      service: 's3',
      resource: 'accesspoint',
      resourceName: this.physicalName,
    });
    return this.arnAttribute;
  }

  /**
   * The alias S3 generates for the access point (`NAME-RANDOM-s3alias`).
   *
   * @attribute
   */
  public get accessPointAlias(): string {
    return this.resource.attrAlias;
  }

  /**
   * Add a statement to the access point policy. Its AWS principals are checked now; statements
   * added here are not checked against the owner's boundary (grants are).
   */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    const problems = new Problems();
    for (const principal of awsPrincipals(statement.toStatementJson().Principal)) {
      const view = literalViewIn(this, principal);
      problems.addAll('policy principal', principalProblems(view), view);
    }
    problems.throwIfAny(this);
    this.policyStatements.push(statement);
    return { statementAdded: true, policyDependable: this.resource };
  }

  /**
   * Publish the ARN and alias as stack outputs, for users of the access point (step 3 of the AWS
   * blog: share them with the people who will read the data).
   */
  public addOutputs(): void {
    if (this.node.tryFindChild('ArnOutput')) {
      return;
    }
    new CfnOutput(this, 'ArnOutput', {
      value: this.accessPointArn,
      description: `ARN of access point ${this.physicalName}: use it as --bucket in aws s3api calls`,
    });
    new CfnOutput(this, 'AliasOutput', {
      value: this.accessPointAlias,
      description: `Alias of access point ${this.physicalName}: use it wherever a bucket name is expected`,
    });
  }

  /**
   * The key ARN for grantees' KMS permissions. A key created in the owner's stack in another
   * environment cannot be referenced from here, so the grant names the owner's keys by pattern;
   * the owner's key policy (through S3 only) remains the boundary.
   */
  private keyArnFor(bucket: IDelegatedBucket): string | undefined {
    const key = bucket.encryptionKey;
    if (!key) {
      return undefined;
    }
    const here = Stack.of(this);
    const there = Stack.of(key);
    const sameEnv = here.account === there.account && here.region === there.region;
    if (!Token.isUnresolved(key.keyArn) || sameEnv) {
      return key.keyArn;
    }
    return formatArn(here, {
      service: 'kms',
      region: bucket.bucketRegion,
      account: bucket.bucketAccount,
      resource: 'key',
      resourceName: '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  private validate(): string[] {
    const errors: string[] = [];
    errors.push(...this.policyStatements.flatMap((s) => s.validateForResourcePolicy()));
    errors.push(...checkResourcePolicy(this, {
      policy: 'access point policy',
      document: this.renderPolicy(),
      limitBytes: 20_480,
      nearLimitWarning: Warnings.ACCESS_POINT_POLICY_NEAR_LIMIT,
      ifPublic: 'the access point would be public',
    }));
    errors.push(...this.uncoveredGrants());
    return errors;
  }

  /**
   * The access point policy as plain JSON, its statements in the order added and each once. An
   * app with thousands of access points resolves each policy several times (references, template,
   * tree), so it is not an `iam.PolicyDocument`, whose rendering is made for larger policies.
   */
  private renderPolicy(): object | undefined {
    if (this.policyStatements.length === 0) {
      return undefined;
    }
    const statements = new Map(this.policyStatements.map((s) => {
      const json = s.toStatementJson();
      return [JSON.stringify(json), json] as const;
    }));
    return { Version: '2012-10-17', Statement: [...statements.values()] };
  }

  /** Grants the owner's delegation does not cover: AWS would deny them at the bucket. */
  private uncoveredGrants(): string[] {
    const account = this.stack.account;
    const boundaries = boundarySource(this.bucket)?._boundariesFor(account);
    if (boundaries === undefined) {
      return [];
    }
    const lines: string[] = [];
    const source = boundarySource(this.bucket)!;
    for (const record of this._grants.records) {
      const tags = Object.keys(record.objectTags).length > 0 ? `, tagged ${describeTags(record.objectTags)}` : '';
      // The key policy lets the delegated accounts (kms:CallerAccount) or organizations use the key: a
      // grantee of another account that is not delegated itself would be denied by KMS.
      const other = record.granteeAccount;
      // The owner's own account needs no statement: the key's default statement lets its IAM policies decide.
      const trusted = other === undefined || other === account || other === this.bucket.bucketAccount
        || (source._boundariesFor(other) ?? []).length > 0;
      if (this.bucket.encryptionKey && !trusted) {
        lines.push(`  - ${record.method}(${record.grantee}): the bucket's key lets only delegated accounts use it (kms:CallerAccount), ` +
          `and the grantee is in account ${other}, which the owner does not delegate to: KMS would deny its requests`);
      }
      for (const action of record.actions) {
        for (const prefix of record.prefixes.length > 0 ? record.prefixes : ['']) {
          const access: GrantedAccess = {
            account,
            action,
            prefix,
            objectTags: record.objectTags,
            accessPointName: this.physicalName,
            networkOrigin: this.networkOrigin,
          };
          const reason = whyNotCovered(boundaries, access);
          if (reason) {
            lines.push(`  - ${record.method}(${record.grantee}${prefix ? `, "${prefix}"` : ''}${tags}) ${action}: ${reason}`);
          }
        }
      }
    }
    if (lines.length === 0) {
      return [];
    }
    return [
      `grants not covered by the owner's delegations on ${this.bucket.node.path} for account ${account} (AWS would deny these requests):\n${lines.join('\n')}`,
    ];
  }
}

class ImportedAccessPoint extends AccessPointBase {
  public readonly accessPointArn: string;
  public readonly accessPointName: string;
  /** @internal */
  protected readonly _formattedArn: string;
  /** @internal */
  protected readonly _grants: AccessPointGrants;
  private readonly alias?: string;

  public constructor(scope: Construct, id: string, attrs: CrossAccountAccessPointAttributes) {
    const arn = attrs.accessPointArn;
    // Only a well-formed ARN can give the environment: a malformed one is reported below instead.
    super(scope, id, { environmentFromArn: Token.isUnresolved(arn) || !ACCESS_POINT_ARN.test(arn) ? undefined : arn });
    const problems = new Problems();
    if (!Token.isUnresolved(arn)) {
      const match = /\s/.test(arn) ? null : ACCESS_POINT_ARN.exec(arn);
      if (!match) {
        problems.add('accessPointArn', 'must be an access point ARN: arn:PARTITION:s3:REGION:ACCOUNT:accesspoint/NAME, without whitespace', arn);
      } else {
        problems.addAll('accessPointArn name', accessPointNameProblems(match[3]), match[3]);
      }
    }
    if (attrs.encryptionKeyArn !== undefined) {
      const region = Token.isUnresolved(arn) ? Stack.of(scope).region : arn.split(':')[3];
      problems.addAll('encryptionKeyArn', keyArnProblems(literalViewIn(this, attrs.encryptionKeyArn), region), attrs.encryptionKeyArn);
    }
    problems.throwIfAny(this);

    this.accessPointArn = arn;
    this._formattedArn = arn;
    this.accessPointName = Stack.of(this).splitArn(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    this.alias = attrs.accessPointAlias;
    this._grants = new AccessPointGrants({
      scope: this,
      formattedArn: arn,
      account: this.env.account,
      region: this.env.region,
      keyArn: attrs.encryptionKeyArn,
    });
  }

  public get accessPointAlias(): string {
    if (this.alias === undefined) {
      throw new Error(`${this.node.path}: accessPointAlias is unknown; pass accessPointAlias to fromAccessPointAttributes()`);
    }
    return this.alias;
  }
}

/**
 * A generated name: see `generateAccessPointName`. The settings that cannot change after creation
 * are the bucket, its account, the VPC and Block Public Access.
 */
function generateName(scope: IConstruct, id: string, props: CrossAccountAccessPointProps): string {
  const known = (value: string, construct: IConstruct) => (Token.isUnresolved(value) ? construct.node.path : value);
  const bucket = props.bucket;
  // A bucket in another environment is referenced by its physical name; resolving it needs that
  // environment to be concrete, which the constructor checks after this (so fall back to the path).
  const bucketName = Token.isUnresolved(bucket.bucketAccount) || Token.isUnresolved(bucket.bucketRegion)
    ? bucket.node.path
    : Stack.of(scope).resolve(bucket.bucketName);
  const bpa = props.blockPublicAccess ?? s3.BlockPublicAccess.BLOCK_ALL;
  const fixedSettings = JSON.stringify([
    bucketName,
    known(bucket.bucketAccount, bucket),
    props.vpc ? known(props.vpc.vpcId, props.vpc) : 'Internet',
    [bpa.blockPublicAcls, bpa.blockPublicPolicy, bpa.ignorePublicAcls, bpa.restrictPublicBuckets].map(Boolean),
  ]);
  return generateAccessPointName(`${scope.node.path}/${id}`, fixedSettings);
}
