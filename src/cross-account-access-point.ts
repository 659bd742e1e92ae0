import { createHash } from 'crypto';
import { Annotations, ArnFormat, CfnOutput, IResource, Lazy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { DelegatedBucket, IDelegatedBucket } from './delegated-bucket';
import { GrantedAccess, whyNotCovered } from './private/boundary';
import { checkResourcePolicy } from './private/policy-checks';
import { Problems, describe } from './private/problems';
import { accessPointNameProblems, accountIdProblems, keyArnProblems, normalizePrefix, prefixProblems, principalProblems, regionProblems } from './private/rules';
import { LIST_ACTIONS, OBJECT_ACTIONS, READ_ACTIONS, READ_WRITE_ACTIONS, WRITE_ACTIONS, actionProblems, actionsWithPrefixesProblems, kmsActionsFor, listPrefixCondition } from './private/s3-actions';

/**
 * Where requests to an access point may come from. It cannot be changed after creation.
 */
export enum NetworkOrigin {
  /** Requests from anywhere, subject to the access point's and the bucket's policies. */
  INTERNET = 'Internet',
  /** Only requests from one VPC. */
  VPC = 'VPC',
}

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
   * Let `grantee` read (`s3:GetObject`, `s3:GetObjectVersion`, `s3:ListBucket`) under the prefixes.
   * @param prefixes folders to read; none for everything the access point reaches
   */
  grantRead(grantee: iam.IGrantable, ...prefixes: string[]): iam.Grant;

  /**
   * Let `grantee` write (`s3:PutObject`, `s3:DeleteObject`, `s3:AbortMultipartUpload`) under the prefixes.
   * @param prefixes folders to write; none for everything the access point reaches
   */
  grantWrite(grantee: iam.IGrantable, ...prefixes: string[]): iam.Grant;

  /**
   * Let `grantee` read and write under the prefixes.
   * @param prefixes folders to read and write; none for everything the access point reaches
   */
  grantReadWrite(grantee: iam.IGrantable, ...prefixes: string[]): iam.Grant;

  /**
   * Let `grantee` perform exactly these S3 actions under the prefixes, for example
   * `grantActions(jane, ['s3:GetObject'], 'ResearchData')` when the owner delegates only `s3:GetObject`.
   * @param actions S3 object or list actions, without wildcards
   * @param prefixes folders; none for everything the access point reaches
   */
  grantActions(grantee: iam.IGrantable, actions: string[], ...prefixes: string[]): iam.Grant;
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

/** A grant made through `grantRead`/`grantWrite`/`grantReadWrite`, kept to check it against the owner's boundary. */
interface GrantRecord {
  readonly method: string;
  readonly grantee: string;
  readonly actions: string[];
  /** Normalised prefixes; empty for everything. */
  readonly prefixes: string[];
}

abstract class AccessPointBase extends Resource implements ICrossAccountAccessPoint {
  public abstract readonly accessPointArn: string;
  public abstract readonly accessPointName: string;
  public abstract readonly accessPointAlias: string;
  /** The ARN as a formatted string, usable inside the access point's own policy. */
  protected abstract readonly formattedArn: string;
  /** The ARN of the bucket's customer-managed key, as the grantee's identity policy should name it. */
  protected abstract readonly keyArnForGrants?: string;

  /**
   * Grants made so far, to check them against the owner's boundary at synth.
   * @internal
   */
  protected readonly _grantRecords: GrantRecord[] = [];

  public arnForObjects(keyPattern: string): string {
    return `${this.formattedArn}/object/${keyPattern}`;
  }

  public grantRead(grantee: iam.IGrantable, ...prefixes: string[]): iam.Grant {
    return this.grant('grantRead', grantee, READ_ACTIONS, prefixes);
  }

  public grantWrite(grantee: iam.IGrantable, ...prefixes: string[]): iam.Grant {
    return this.grant('grantWrite', grantee, WRITE_ACTIONS, prefixes);
  }

  public grantReadWrite(grantee: iam.IGrantable, ...prefixes: string[]): iam.Grant {
    return this.grant('grantReadWrite', grantee, READ_WRITE_ACTIONS, prefixes);
  }

  public grantActions(grantee: iam.IGrantable, actions: string[], ...prefixes: string[]): iam.Grant {
    return this.grant('grantActions', grantee, actions, prefixes);
  }

  /** Write one permission on both sides that apply: the access point policy and the grantee's identity. */
  protected abstract grantOn(options: iam.GrantOnPrincipalOptions): iam.Grant;

  private grant(method: string, grantee: iam.IGrantable, actions: string[], prefixes: string[]): iam.Grant {
    const problems = new Problems();
    for (const principal of awsPrincipals(grantee.grantPrincipal.policyFragment.principalJson)) {
      problems.addAll(`${method} grantee`, principalProblems(principal), principal);
    }
    if (actions.length === 0) {
      problems.add(`${method} actions`, 'must name at least one action', []);
    }
    actions.forEach((a, i) => problems.addAll(`${method} actions[${i}]`, actionProblems(a), a));
    prefixes.forEach((p, i) => problems.addAll(`${method} prefixes[${i}]`, prefixProblems(p), p));
    problems.addAll(`${method} actions`, actionsWithPrefixesProblems(actions, prefixes), actions);
    problems.throwIfAny(this);

    const folders = [...new Set(prefixes.map(normalizePrefix))];
    const objectActions = actions.filter((a) => OBJECT_ACTIONS.has(a));
    const listActions = actions.filter((a) => LIST_ACTIONS.has(a));
    const parts: Array<{ grant: iam.Grant; actions: string[] }> = [];
    if (objectActions.length > 0) {
      parts.push({
        actions: objectActions,
        grant: this.grantOn({
          grantee,
          actions: objectActions,
          resourceArns: folders.length > 0 ? folders.map((f) => this.arnForObjects(`${f}*`)) : [this.arnForObjects('*')],
        }),
      });
    }
    if (listActions.length > 0) {
      parts.push({
        actions: listActions,
        grant: this.grantOn({
          grantee,
          actions: listActions,
          resourceArns: [this.formattedArn],
          conditions: listPrefixCondition(folders),
        }),
      });
    }
    if (this.keyArnForGrants) {
      // The key is the owner's: only the grantee's identity policy can name it.
      const keyActions = kmsActionsFor(actions);
      parts.push({
        actions: keyActions,
        grant: iam.Grant.addToPrincipal({
          grantee,
          actions: keyActions,
          resourceArns: [this.keyArnForGrants],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${this.env.region}.amazonaws.com` } },
        }),
      });
    }
    this._grantRecords.push({ method, grantee: describePrincipal(grantee), actions, prefixes: folders });

    const unwritten = parts.filter((part) => !part.grant.success).flatMap((part) => part.actions);
    if (unwritten.length > 0) {
      Annotations.of(this).addWarningV2(
        'cdk-cross-account-access-points:grantNotWritten',
        `${method} could not give ${describePrincipal(grantee)} ${unwritten.join(', ')}: neither its identity policy nor ` +
          'a policy on this resource is managed by this app. Add them to its identity policy, or its requests will be denied',
      );
    }
    return parts.map((part) => part.grant).reduce((all, grant) => all.combine(grant));
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
 * accessPoint.grantRead(new iam.ArnPrincipal('arn:aws:iam::111122223333:user/Jane'), 'ResearchData');
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

  public readonly accessPointArn: string;
  public readonly accessPointName: string;
  /** @attribute */
  public readonly accessPointAlias: string;
  /** Where requests may come from: `INTERNET`, or `VPC` when `vpc` is given. */
  public readonly networkOrigin: NetworkOrigin;
  /** The bucket behind the access point. */
  public readonly bucket: IDelegatedBucket;

  protected readonly formattedArn: string;
  protected readonly keyArnForGrants?: string;
  private readonly resource: s3.CfnAccessPoint;
  /** The access point policy: grants and addToResourcePolicy() add to it, after checking principals. */
  private readonly policyDocument = new iam.PolicyDocument();

  public constructor(scope: Construct, id: string, props: CrossAccountAccessPointProps) {
    super(scope, id, { physicalName: props.accessPointName ?? generateName(scope, id, props) });
    const stack = Stack.of(this);
    const bucket = props.bucket;

    const problems = new Problems();
    problems.addAll('accessPointName', accessPointNameProblems(this.physicalName), this.physicalName);
    if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
      const shown = (v: string) => (Token.isUnresolved(v) ? '<unresolved token>' : v);
      problems.add('stack env', 'must name a concrete account and Region (env: { account, region }): an access point ARN and its policy need both', `${shown(stack.account)}/${shown(stack.region)}`);
    }
    problems.addAll('bucket.bucketAccount', accountIdProblems(bucket.bucketAccount), bucket.bucketAccount);
    if (Token.isUnresolved(bucket.bucketAccount)) {
      problems.add('bucket.bucketAccount', 'must be known at synth (the bucket\'s stack needs a concrete env): CloudFormation needs it as BucketAccountId', '<unresolved token>');
    }
    problems.addAll('bucket.bucketRegion', regionProblems(bucket.bucketRegion), bucket.bucketRegion);
    if (!Token.isUnresolved(stack.region) && !Token.isUnresolved(bucket.bucketRegion) && stack.region !== bucket.bucketRegion) {
      problems.add('bucket.bucketRegion', `must equal the access point's Region ${describe(stack.region)}: an access point serves a bucket in its own Region only`, bucket.bucketRegion);
    }
    problems.abortConstructionIfAny(this);

    this.bucket = bucket;
    this.networkOrigin = props.vpc ? NetworkOrigin.VPC : NetworkOrigin.INTERNET;
    this.formattedArn = stack.formatArn({ service: 's3', resource: 'accesspoint', resourceName: this.physicalName });
    this.keyArnForGrants = this.keyArnFor(bucket);

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
      policy: Lazy.any({ produce: () => (this.policyDocument.isEmpty ? undefined : this.policyDocument) }),
    });
    if (DelegatedBucket.isDelegatedBucket(bucket)) {
      this.node.addDependency(bucket);
    }

    this.accessPointName = this.getResourceNameAttribute(this.resource.ref);
    this.accessPointArn = this.getResourceArnAttribute(this.resource.attrArn, {
      service: 's3',
      resource: 'accesspoint',
      resourceName: this.physicalName,
    });
    this.accessPointAlias = this.resource.attrAlias;

    const offSettings = ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets']
      .filter((k) => !(blockPublicAccess as unknown as Record<string, boolean | undefined>)[k]);
    if (offSettings.length > 0) {
      Annotations.of(this).addWarningV2(
        'cdk-cross-account-access-points:blockPublicAccessOff',
        `Block Public Access settings ${offSettings.join(', ')} are off on this access point; it can then be made public`,
      );
    }

    registerName(this, this.physicalName);
    this.node.addValidation({ validate: () => this.validate() });
  }

  /**
   * Add a statement to the access point policy. Its AWS principals are checked now; statements
   * added here are not checked against the owner's boundary (grants are).
   */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    const problems = new Problems();
    for (const principal of awsPrincipals(statement.toStatementJson().Principal)) {
      problems.addAll('policy principal', principalProblems(principal), principal);
    }
    problems.throwIfAny(this);
    this.policyDocument.addStatements(statement);
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

  protected grantOn(options: iam.GrantOnPrincipalOptions): iam.Grant {
    // Grant.addToPrincipalAndResource leaves the conditions off the resource side, and the
    // access point policy needs the s3:prefix condition: write each side explicitly.
    const identity = iam.Grant.addToPrincipal(options);
    const statement = new iam.PolicyStatement({
      principals: [options.grantee.grantPrincipal],
      actions: options.actions,
      resources: options.resourceArns,
      conditions: options.conditions,
    });
    return identity.combine(iam.Grant.addStatementToResourcePolicy({ ...options, resource: this, statement }));
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
    return here.formatArn({
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
    const duplicates = pathsWithSameName(this, this.physicalName).filter((p) => p !== this.node.path);
    if (duplicates.length > 0) {
      errors.push(`accessPointName must be unique in its account and Region; ${describe(this.physicalName)} is also used by ${duplicates.join(', ')}`);
    }
    errors.push(...checkResourcePolicy(this, this.policyDocument, 'access point policy', 'the access point would be public'));
    errors.push(...this.uncoveredGrants());
    return errors;
  }

  /** Grants the owner's delegation does not cover: AWS would deny them at the bucket. */
  private uncoveredGrants(): string[] {
    if (!DelegatedBucket.isDelegatedBucket(this.bucket)) {
      return [];
    }
    const boundaries = this.bucket._boundaries();
    const account = this.stack.account;
    const lines: string[] = [];
    for (const record of this._grantRecords) {
      for (const action of record.actions) {
        for (const prefix of record.prefixes.length > 0 ? record.prefixes : ['']) {
          const access: GrantedAccess = {
            account,
            action,
            prefix,
            accessPointName: this.physicalName,
            vpcOrigin: this.networkOrigin === NetworkOrigin.VPC,
          };
          const reason = whyNotCovered(boundaries, access);
          if (reason) {
            lines.push(`  - ${record.method}(${record.grantee}${prefix ? `, "${prefix}"` : ''}) ${action}: ${reason}`);
          }
        }
      }
    }
    if (lines.length === 0) {
      return [];
    }
    return [
      `grants not covered by the owner's delegation to account ${account} on ${this.bucket.node.path} (AWS would deny these requests at the bucket):\n${lines.join('\n')}`,
    ];
  }
}

class ImportedAccessPoint extends AccessPointBase {
  public readonly accessPointArn: string;
  public readonly accessPointName: string;
  protected readonly formattedArn: string;
  protected readonly keyArnForGrants?: string;
  private readonly alias?: string;

  public constructor(scope: Construct, id: string, attrs: CrossAccountAccessPointAttributes) {
    const arn = attrs.accessPointArn;
    // Only a well-formed ARN can give the environment: a malformed one is reported below instead.
    super(scope, id, { environmentFromArn: Token.isUnresolved(arn) || !ACCESS_POINT_ARN.test(arn) ? undefined : arn });
    const problems = new Problems();
    if (!Token.isUnresolved(arn)) {
      const match = ACCESS_POINT_ARN.exec(arn);
      if (!match) {
        problems.add('accessPointArn', 'must be an access point ARN: arn:PARTITION:s3:REGION:ACCOUNT:accesspoint/NAME', arn);
      } else {
        problems.addAll('accessPointArn name', accessPointNameProblems(match[3]), match[3]);
      }
    }
    if (attrs.encryptionKeyArn !== undefined) {
      const region = Token.isUnresolved(arn) ? Stack.of(scope).region : arn.split(':')[3];
      problems.addAll('encryptionKeyArn', keyArnProblems(attrs.encryptionKeyArn, region), attrs.encryptionKeyArn);
    }
    problems.abortConstructionIfAny(this);

    this.accessPointArn = arn;
    this.formattedArn = arn;
    this.accessPointName = Stack.of(this).splitArn(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    this.alias = attrs.accessPointAlias;
    this.keyArnForGrants = attrs.encryptionKeyArn;
  }

  public get accessPointAlias(): string {
    if (this.alias === undefined) {
      throw new Error(`${this.node.path}: accessPointAlias is unknown; pass accessPointAlias to fromAccessPointAttributes()`);
    }
    return this.alias;
  }

  protected grantOn(options: iam.GrantOnPrincipalOptions): iam.Grant {
    return iam.Grant.addToPrincipal(options);
  }
}

/**
 * A name S3 accepts, derived from the construct path and from the settings that cannot change
 * after creation: lowercase words and hyphens, then a hash, at most 50 characters.
 *
 * CloudFormation replaces an access point when its bucket, bucket account or VPC changes, by
 * creating the new one before deleting the old, which fails when both have the same name; and S3
 * cannot change Block Public Access at all, while CloudFormation treats that as an update. With
 * these settings in the hash, any such change gives a new name, so the replacement succeeds and
 * the new settings apply.
 */
function generateName(scope: IConstruct, id: string, props: CrossAccountAccessPointProps): string {
  const path = `${scope.node.path}/${id}`;
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
  const hash = createHash('sha256').update(path).update(fixedSettings).digest('hex').slice(0, 8);
  const words = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 50 - hash.length - 1).replace(/^-+|-+$/g, '');
  return words ? `${words}-${hash}` : hash;
}

/** The AWS principals (ARNs, account IDs or "*") of a policy's Principal element. */
function awsPrincipals(principal: { AWS?: unknown } | undefined): string[] {
  return [principal?.AWS ?? []].flat().filter((p): p is string => typeof p === 'string');
}

function describePrincipal(grantee: iam.IGrantable): string {
  const aws = grantee.grantPrincipal.policyFragment.principalJson.AWS;
  const first = [aws ?? []].flat()[0];
  if (typeof first === 'string' && !Token.isUnresolved(first)) {
    return first;
  }
  return Construct.isConstruct(grantee) ? grantee.node.path : grantee.grantPrincipal.toString();
}

/** Access point names are unique per account and Region; the app-wide registry finds clashes at synth. */
const namesByApp = new WeakMap<IConstruct, Map<string, string[]>>();

function registerName(accessPoint: CrossAccountAccessPoint, name: string): void {
  const root = accessPoint.node.root;
  const names = namesByApp.get(root) ?? new Map<string, string[]>();
  namesByApp.set(root, names);
  const key = nameKey(accessPoint, name);
  names.set(key, [...(names.get(key) ?? []), accessPoint.node.path]);
}

function pathsWithSameName(accessPoint: CrossAccountAccessPoint, name: string): string[] {
  return namesByApp.get(accessPoint.node.root)?.get(nameKey(accessPoint, name)) ?? [];
}

function nameKey(accessPoint: CrossAccountAccessPoint, name: string): string {
  return [accessPoint.stack.account, accessPoint.stack.region, name].join('/');
}
