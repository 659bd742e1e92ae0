/**
 * An independent S3/KMS access evaluator for tests, built on `@cloud-copilot/iam-simulate`
 * (AGPL-3.0: a devDependency used by tests only, never shipped).
 *
 * iam-simulate evaluates one resource policy per request, so a request through an access point
 * is evaluated as two layers (access point, then bucket) and is allowed only when both allow.
 *
 * Every layer uses `runUnsafeSimulation`: the validating `runSimulation` is asynchronous and drops the
 * `s3:DataAccessPoint*` context keys on bucket ARNs, which would make every delegation look denied.
 * Because the unsafe engine validates nothing, this module validates policies and principals itself.
 */
import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy, type ValidationError } from '@cloud-copilot/iam-policy';
import { anonymousPrincipal, runUnsafeSimulation, type Simulation, type SimulationIdentityPolicy } from '@cloud-copilot/iam-simulate';

/** Options for {@link resolveTemplateValue}. */
export interface ResolveOptions {
  /** Value of `Ref AWS::Partition`; default 'aws'. */
  readonly partition?: string;
  /** Value of `Ref AWS::Region`; an unset region referenced by the template is an error. */
  readonly region?: string;
  /** Value of `Ref AWS::AccountId`; an unset account referenced by the template is an error. */
  readonly accountId?: string;
  /** Logical id (for `Ref`) or `LogicalId.Attr` (for `Fn::GetAtt`) to value. */
  readonly refs?: Record<string, string>;
}

/**
 * Turn CloudFormation template JSON (Fn::Join, Fn::Select, Fn::Split, string Fn::Sub, Ref AWS::Partition /
 * AWS::Region / AWS::AccountId / AWS::URLSuffix, Fn::GetAtt, Ref) into plain values.
 * `refs` maps a logical id (for Ref) or `LogicalId.Attr` (for Fn::GetAtt) to its value; throws a clear
 * Error on an unmapped or unsupported intrinsic. Partition defaults to 'aws'.
 */
export function resolveTemplateValue(value: unknown, options: ResolveOptions): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => resolveTemplateValue(v, options));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const entries = Object.entries(value);
  const [name, arg] = entries.length === 1 ? entries[0] : [undefined, undefined];
  if (name === 'Ref') {
    return resolveRef(String(arg), options);
  }
  if (name === 'Fn::GetAtt') {
    // Both the list form ["Id", "Attr"] and the short string form "Id.Attr" occur in templates.
    const path = Array.isArray(arg) ? arg.join('.') : String(arg);
    return lookup(options.refs, path, `Fn::GetAtt ${path}`);
  }
  if (name === 'Fn::Join') {
    const [separator, parts] = arg as [string, unknown];
    const resolved = resolveTemplateValue(parts, options);
    if (!Array.isArray(resolved)) {
      throw new Error(`Fn::Join needs a list, got ${JSON.stringify(parts)}`);
    }
    return resolved.map((p) => asString(p, 'Fn::Join part')).join(separator);
  }
  if (name === 'Fn::Split') {
    const [separator, source] = arg as [string, unknown];
    return asString(resolveTemplateValue(source, options), 'Fn::Split source').split(separator);
  }
  if (name === 'Fn::Select') {
    const [index, list] = arg as [unknown, unknown];
    const resolved = resolveTemplateValue(list, options);
    const i = Number(resolveTemplateValue(index, options));
    if (!Array.isArray(resolved) || !(i >= 0 && i < resolved.length)) {
      throw new Error(`Fn::Select index ${i} out of range in ${JSON.stringify(list)}`);
    }
    return resolved[i];
  }
  if (name === 'Fn::Sub' && typeof arg === 'string') {
    // ${Id.Attr} is a GetAtt, ${Id} a Ref; ${!Literal} stays literal as '${Literal}'.
    return arg.replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, id: string) =>
      bang ? `\${${id}}` : id.includes('.') && !id.startsWith('AWS::')
        ? lookup(options.refs, id, `Fn::Sub \${${id}}`)
        : resolveRef(id, options));
  }
  if (name !== undefined && (name.startsWith('Fn::') || name === 'Condition')) {
    throw new Error(`Unsupported intrinsic ${name}: ${JSON.stringify(value)}`);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveTemplateValue(v, options)]));
}

function resolveRef(id: string, options: ResolveOptions): string {
  const partition = options.partition ?? 'aws';
  switch (id) {
    case 'AWS::Partition': return partition;
    case 'AWS::URLSuffix': return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
    case 'AWS::Region': return required(options.region, 'Ref AWS::Region needs options.region');
    case 'AWS::AccountId': return required(options.accountId, 'Ref AWS::AccountId needs options.accountId');
    default: return lookup(options.refs, id, `Ref ${id}`);
  }
}

function lookup(refs: Record<string, string> | undefined, key: string, what: string): string {
  return required(refs?.[key], `${what} is not mapped in options.refs (known: ${Object.keys(refs ?? {}).join(', ') || 'none'})`);
}

function required(value: string | undefined, message: string): string {
  if (value === undefined) {
    throw new Error(message);
  }
  return value;
}

function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') {
    throw new Error(`${what} did not resolve to a string: ${JSON.stringify(value)}`);
  }
  return value;
}

/** An S3 request made by one principal. */
export interface S3Request {
  /** e.g. arn:aws:iam::111122223333:user/Jane, or 'anonymous' */
  readonly principal: string;
  /** identity policies of the principal (plain policy documents); must be empty for 'anonymous' */
  readonly identityPolicies?: object[];
  /** e.g. 's3:GetObject', 's3:ListBucket' */
  readonly action: string;
  /** object key for object actions, e.g. 'ResearchData/x'; absent for bucket actions such as ListBucket */
  readonly key?: string;
  /** s3:prefix for ListBucket; the context key is absent when this is unset */
  readonly prefix?: string;
  /** aws:SecureTransport; default true */
  readonly secureTransport?: boolean;
  /**
   * further request context, e.g. { 's3:x-amz-server-side-encryption': 'aws:kms' }; a multi-valued key
   * such as aws:PrincipalOrgPaths takes a list, which only set operators (ForAnyValue:, ForAllValues:) match
   */
  readonly context?: RequestContext;
}

/** Request context keys and their values: a string, or a list for a multi-valued key. */
export type RequestContext = Record<string, string | string[]>;

/** An S3 access point as the evaluator sees it. */
export interface AccessPointModel {
  /** access point name */
  readonly name: string;
  /** account that owns the access point */
  readonly account: string;
  /** Region of the access point (and of its bucket) */
  readonly region: string;
  /** access point policy, if any */
  readonly policy?: object;
  /** 'Internet' | 'VPC' */
  readonly networkOrigin: string;
}

/** An S3 bucket as the evaluator sees it. */
export interface BucketModel {
  /** bucket name */
  readonly name: string;
  /** account that owns the bucket */
  readonly account: string;
  /** Region of the bucket */
  readonly region: string;
  /** bucket policy, if any */
  readonly policy?: object;
}

/** The outcome of an evaluation. */
export interface Decision {
  /** true only when every layer allows */
  readonly allowed: boolean;
  /** one entry per layer, e.g. 'access point: Allowed; bucket: ImplicitlyDenied' */
  readonly explanation: string;
}

/** A KMS request on a key. */
export interface KmsRequest {
  /** principal ARN */
  readonly principal: string;
  /** identity policies of the principal (plain policy documents) */
  readonly identityPolicies?: object[];
  /** e.g. 'kms:Decrypt' */
  readonly action: string;
  /** kms:ViaService, e.g. 's3.eu-west-3.amazonaws.com'; absent for direct calls */
  readonly viaService?: string;
  /** further request context, e.g. { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::bucket' }; lists as for S3Request */
  readonly context?: RequestContext;
}

/** A KMS key as the evaluator sees it. */
export interface KmsKeyModel {
  /** key ARN, e.g. arn:aws:kms:eu-west-3:123456789010:key/ID */
  readonly arn: string;
  /** account that owns the key */
  readonly account: string;
  /** key policy */
  readonly policy: object;
}

/**
 * A request through an access point: allowed only when the access point layer (identity policies + access
 * point policy, resource arn:aws:s3:REGION:AP_ACCOUNT:accesspoint/NAME[/object/KEY]) AND the bucket layer
 * (same action on arn:aws:s3:::BUCKET[/KEY], bucket policy, context keys s3:DataAccessPointArn,
 * s3:DataAccessPointAccount, s3:AccessPointNetworkOrigin) both allow. For the bucket layer the caller's
 * identity policies count only when the principal is in the bucket owner's account (same-account rule);
 * cross-account, the bucket policy must allow on its own.
 */
export function evaluateThroughAccessPoint(request: S3Request, accessPoint: AccessPointModel, bucket: BucketModel): Decision {
  const apArn = `arn:aws:s3:${accessPoint.region}:${accessPoint.account}:accesspoint/${accessPoint.name}`;
  // The s3:DataAccessPoint* keys describe the request itself, so both layers see them.
  const context = {
    ...s3Context(request),
    's3:DataAccessPointArn': apArn,
    's3:DataAccessPointAccount': accessPoint.account,
    's3:AccessPointNetworkOrigin': accessPoint.networkOrigin,
  };
  const apLayer = simulate({
    principal: request.principal,
    identityPolicies: request.identityPolicies,
    action: request.action,
    resource: request.key === undefined ? apArn : `${apArn}/object/${request.key}`,
    resourceAccount: accessPoint.account,
    resourcePolicy: accessPoint.policy,
    context,
  }, 'access point policy');

  // Cross-account, the caller's own account already vouched for the caller in the access point layer.
  // iam-simulate would still demand an identity Allow on the bucket ARN, so a stand-in identity policy that
  // allows everything leaves the decision to the bucket policy alone (an explicit Deny in it still wins).
  // An anonymous caller has no identity at all, so it gets no stand-in either.
  const principalAccount = accountOf(request.principal);
  const bucketIdentity = principalAccount === bucket.account ? request.identityPolicies
    : principalAccount === undefined ? [] : [CHECKED_IN_ACCESS_POINT_LAYER];
  const bucketLayer = simulate({
    principal: request.principal,
    identityPolicies: bucketIdentity,
    action: request.action,
    resource: bucketResource(bucket, request),
    resourceAccount: bucket.account,
    resourcePolicy: bucket.policy,
    context,
  }, 'bucket policy');

  return {
    allowed: apLayer === 'Allowed' && bucketLayer === 'Allowed',
    explanation: `access point: ${apLayer}; bucket: ${bucketLayer}`,
  };
}

/**
 * A request straight to the bucket (no access point): one layer, bucket policy + identity policies
 * (identity counts only for principals of the bucket owner's account; cross-account both identity AND
 * bucket policy must allow; iam-simulate applies that rule from the principal and bucket accounts).
 */
export function evaluateDirectToBucket(request: S3Request, bucket: BucketModel): Decision {
  const result = simulate({
    principal: request.principal,
    identityPolicies: request.identityPolicies,
    action: request.action,
    resource: bucketResource(bucket, request),
    resourceAccount: bucket.account,
    resourcePolicy: bucket.policy,
    context: s3Context(request),
  }, 'bucket policy');
  return { allowed: result === 'Allowed', explanation: `bucket: ${result}` };
}

/**
 * A KMS request (e.g. kms:Decrypt) on a key: key policy + identity policies, with optional kms:ViaService
 * and kms:CallerAccount context. Cross-account: both identity and key policy must allow. Same-account,
 * identity policies count only when the key policy trusts the account (iam-simulate's KMS rules).
 */
export function evaluateKms(request: KmsRequest, key: KmsKeyModel): Decision {
  const result = simulate({
    principal: request.principal,
    identityPolicies: request.identityPolicies,
    action: request.action,
    resource: key.arn,
    resourceAccount: key.account,
    resourcePolicy: key.policy,
    context: {
      ...optional('kms:CallerAccount', accountOf(request.principal)),
      ...optional('kms:ViaService', request.viaService),
      ...request.context,
    },
  }, 'key policy');
  return { allowed: result === 'Allowed', explanation: `key: ${result}` };
}

/** Stand-in identity policy for the cross-account bucket layer (see evaluateThroughAccessPoint). */
const CHECKED_IN_ACCESS_POINT_LAYER: object = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

const ANONYMOUS = 'anonymous';
// IAM and STS principal ARNs have an empty Region field: arn:aws:iam::111122223333:user/Jane.
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam|sts)::(\d{12}):.+$/;
// The unsafe engine does not look actions up, so at least reject what cannot be an action name.
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;

type EvaluationResult = ReturnType<typeof runUnsafeSimulation>;

interface Layer {
  readonly principal: string;
  readonly identityPolicies?: object[];
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly resourcePolicy?: object;
  readonly context: RequestContext;
}

/** Runs one layer through iam-simulate after the validation the unsafe engine skips. */
function simulate(layer: Layer, resourcePolicyName: string): EvaluationResult {
  if (!ACTION.test(layer.action)) {
    throw new Error(`Not an IAM action: '${layer.action}'`);
  }
  const anonymous = layer.principal === ANONYMOUS;
  const identityPolicies = layer.identityPolicies ?? [];
  if (anonymous && identityPolicies.length > 0) {
    throw new Error('An anonymous principal has no identity policies');
  }
  const principalAccount = accountOf(layer.principal);
  const principalContext: Record<string, string> = anonymous || principalAccount === undefined ? {} : {
    'aws:PrincipalArn': layer.principal,
    'aws:PrincipalAccount': principalAccount,
  };
  const simulation: Simulation = {
    request: {
      principal: anonymous ? anonymousPrincipal : layer.principal,
      action: layer.action,
      resource: { resource: layer.resource, accountId: layer.resourceAccount },
      contextVariables: { ...principalContext, ...layer.context },
    },
    identityPolicies: identityPolicies.map((doc, i): SimulationIdentityPolicy => ({
      name: `identity policy ${i}`,
      policy: validated(doc, validateIdentityPolicy, `identity policy ${i}`),
    })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    // The engine reads the resource policy's name from its metadata, so wrap it even when valid.
    resourcePolicy: layer.resourcePolicy && validated(layer.resourcePolicy, validateResourcePolicy, resourcePolicyName),
  };
  return runUnsafeSimulation(simulation, {});
}

function validated(doc: object, validate: (policy: object) => ValidationError[], name: string) {
  const policy = createValidatedPolicy(doc, validate, { name });
  if (policy.errors.length > 0) {
    throw new Error(`Invalid ${name}: ${JSON.stringify(policy.errors)}\n${JSON.stringify(doc)}`);
  }
  return policy;
}

/** The account of a principal ARN; undefined for 'anonymous'; throws on a malformed ARN. */
function accountOf(principal: string): string | undefined {
  if (principal === ANONYMOUS) {
    return undefined;
  }
  const match = PRINCIPAL_ARN.exec(principal);
  if (!match) {
    throw new Error(`Not an IAM principal ARN (expected arn:aws:iam::ACCOUNT:...): '${principal}'`);
  }
  return match[2];
}

function bucketResource(bucket: BucketModel, request: S3Request): string {
  return request.key === undefined ? `arn:aws:s3:::${bucket.name}` : `arn:aws:s3:::${bucket.name}/${request.key}`;
}

function s3Context(request: S3Request): RequestContext {
  return {
    'aws:SecureTransport': String(request.secureTransport ?? true),
    ...optional('s3:prefix', request.prefix),
    ...request.context,
  };
}

/** A context entry only when it has a value: an absent key must stay absent, not become ''. */
function optional(key: string, value: string | undefined): Record<string, string> {
  return value === undefined ? {} : { [key]: value };
}
