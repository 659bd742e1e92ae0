/**
 * Nothing we ship may lose data. A bucket (or key, or access point) whose logical ID changes is a
 * new resource to CloudFormation: the old bucket is retained, orphaned, and users read a new, empty
 * one. These tests pin the sample's stateful resources and prove that sharing changes touch
 * policies only.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CrossAccountAccessPoint, DelegatedBucket, S3Actions } from '../src';
import { CONSUMER_ACCOUNT, CONSUMER_ENV, OWNER_ENV, REGION } from './support/fixtures';
import { synthSample } from './support/template-models';

/** Resource types that hold data or identity: replacing one loses data or breaks every user's reference. */
const STATEFUL = ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::S3::AccessPoint'];

/**
 * The committed list: stack -> logical ID -> type and construct path. Change it only on purpose,
 * knowing that a changed logical ID replaces the resource.
 */
const LOCK_FILE = path.join(__dirname, 'stateful-resources.json');

/**
 * For access points, the properties that CloudFormation cannot change in place (or, for Block
 * Public Access, that S3 cannot change). Under a fixed name, changing one of them fails the
 * deployment: the replacement cannot be created while the old access point holds the name.
 */
const FIXED_ACCESS_POINT_PROPERTIES = ['Name', 'Bucket', 'BucketAccountId', 'VpcConfiguration', 'PublicAccessBlockConfiguration'];

type Inventory = Record<string, Record<string, { type: string; path: string; fixed?: Record<string, unknown> }>>;

/** The stateful resources of the stacks: logical ID, type, construct path and, for access points, the fixed properties. */
function inventory(stacks: Stack[]): Inventory {
  const result: Inventory = {};
  for (const stack of stacks) {
    const template = Template.fromStack(stack).toJSON();
    const resources = stack.node.findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && STATEFUL.includes(c.cfnResourceType));
    result[stack.stackName] = Object.fromEntries(resources.map((r) => {
      const logicalId = stack.getLogicalId(r);
      const properties = template.Resources[logicalId].Properties;
      const fixed = r.cfnResourceType === 'AWS::S3::AccessPoint'
        ? Object.fromEntries(FIXED_ACCESS_POINT_PROPERTIES.filter((p) => p in properties).map((p) => [p, properties[p]]))
        : undefined;
      return [logicalId, { type: r.cfnResourceType, path: r.node.path, ...(fixed ? { fixed } : {}) }];
    }));
  }
  return result;
}

describe('the sample keeps its stateful resources', () => {
  const { owner, consumer } = synthSample();
  const committed: Inventory = JSON.parse(fs.readFileSync(LOCK_FILE, 'utf8'));
  const current = inventory([owner, consumer]);

  test('the committed list names the buckets and the access point', () => {
    const types = Object.values(committed).flatMap((stack) => Object.values(stack).map((r) => r.type)).sort();
    expect(types).toEqual(['AWS::S3::AccessPoint', 'AWS::S3::Bucket', 'AWS::S3::Bucket']);
  });

  test.each(Object.entries(committed).flatMap(([stack, resources]) => Object.entries(resources).map(([id, r]) => [stack, id, r] as const)))(
    '%s keeps %s', (stack, logicalId, resource) => {
      // A failure here means a change would replace this resource: keep the construct id, or
      // migrate the data first and then update test/stateful-resources.json on purpose. For an
      // access point under a fixed name, a change of `fixed` needs a new name as well.
      expect(current[stack]?.[logicalId]).toEqual(resource);
    });

  test('no stateful resource is missing from the committed list', () => {
    expect(current).toEqual(committed);
  });
});

describe('a bucket without a given name keeps the name it was first deployed with', () => {
  /** The BucketName of an unnamed DelegatedBucket, with or without a consumer in another account. */
  function bucketNameWith(consumers: number): unknown {
    const app = new App();
    const owner = new Stack(app, 'Owner', { env: OWNER_ENV });
    const bucket = new DelegatedBucket(owner, 'Data');
    for (let i = 0; i < consumers; i++) {
      const account = `11112222333${i}`;
      bucket.delegateTo(account);
      new CrossAccountAccessPoint(new Stack(app, `Consumer${i}`, { env: { account, region: REGION } }), 'AccessPoint', { bucket });
    }
    return Template.fromStack(owner).toJSON().Resources[owner.getLogicalId(bucket.bucket.node.defaultChild as CfnResource)].Properties.BucketName;
  }

  test('in an environment-agnostic stack, CloudFormation names the bucket (a path-derived name would clash between deployments)', () => {
    const stack = new Stack(new App(), 'Anywhere');
    const bucket = new DelegatedBucket(stack, 'Data', { delegations: [{ account: CONSUMER_ACCOUNT }] });
    const resources = Template.fromStack(stack).toJSON().Resources;
    expect(resources[stack.getLogicalId(bucket.bucket.node.defaultChild as CfnResource)].Properties.BucketName).toBeUndefined();
  });

  test('adding or removing consumers never renames (and so never replaces) the bucket', () => {
    const alone = bucketNameWith(0);
    expect(typeof alone).toBe('string');
    expect(bucketNameWith(1)).toBe(alone);
    expect(bucketNameWith(3)).toBe(alone);
  });
});

describe('sharing changes touch policies only', () => {
  /** Build owner and consumer with the given delegations and grants; return both templates. */
  function build(delegations: string[], readers: string[]) {
    const app = new App();
    const ownerStack = new Stack(app, 'Owner', { env: OWNER_ENV });
    const bucket = new DelegatedBucket(ownerStack, 'Data', { bucketName: 'shared-data' });
    delegations.forEach((prefix) => bucket.delegateTo(CONSUMER_ACCOUNT, { actions: S3Actions.READ, prefixes: [prefix] }));
    const consumerStack = new Stack(app, 'Consumer', { env: CONSUMER_ENV });
    const accessPoint = new CrossAccountAccessPoint(consumerStack, 'AccessPoint', { bucket, accessPointName: 'readers' });
    readers.forEach((user) => accessPoint.grantRead(new iam.ArnPrincipal(`arn:aws:iam::${CONSUMER_ACCOUNT}:user/${user}`), { prefixes: ['Reports'] }));
    return {
      owner: Template.fromStack(ownerStack).toJSON(),
      consumer: Template.fromStack(consumerStack).toJSON(),
      bucketPolicyId: ownerStack.getLogicalId(bucket.bucket.policy!.node.defaultChild as CfnResource),
      accessPointId: consumerStack.getLogicalId(accessPoint.node.defaultChild as CfnResource),
    };
  }

  /** What differs between two templates, as `LogicalId (Type): properties`, by logical ID. */
  function changes(before: any, after: any): string[] {
    const ids = [...new Set([...Object.keys(before.Resources), ...Object.keys(after.Resources)])].sort();
    return ids.flatMap((id) => {
      const [a, b] = [before.Resources[id], after.Resources[id]];
      if (!a || !b) {
        return [`${id} (${(a ?? b).Type}): ${a ? 'removed' : 'added'}`];
      }
      const props = [...new Set([...Object.keys(a.Properties ?? {}), ...Object.keys(b.Properties ?? {})])];
      const differing = props.filter((p) => JSON.stringify(a.Properties?.[p]) !== JSON.stringify(b.Properties?.[p]));
      const otherwise = JSON.stringify({ ...a, Properties: undefined }) !== JSON.stringify({ ...b, Properties: undefined });
      return differing.length > 0 || otherwise ? [`${id} (${a.Type}): ${[...differing, ...(otherwise ? ['attributes'] : [])].join(', ')}`] : [];
    });
  }

  const base = build(['Reports'], ['Jane']);

  test.each([
    ['adding a delegation', build(['Reports', 'Archive'], ['Jane'])],
    ['removing a delegation', build([], [])],
  ])('%s changes only the bucket policy document', (_title, after) => {
    expect(changes(base.owner, after.owner)).toEqual([`${base.bucketPolicyId} (AWS::S3::BucketPolicy): PolicyDocument`]);
  });

  test.each([
    ['adding a grant', build(['Reports'], ['Jane', 'Ravi'])],
    ['removing a grant', build(['Reports'], [])],
  ])('%s changes only the access point policy, in place', (_title, after) => {
    expect(changes(base.owner, after.owner)).toEqual([]);
    expect(changes(base.consumer, after.consumer)).toEqual([`${base.accessPointId} (AWS::S3::AccessPoint): Policy`]);
  });
});
