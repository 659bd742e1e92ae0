import { createHash } from 'crypto';
import { Stack, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { bucketNameProblems } from './rules';

/*
 * Physical names: generated bucket and access point names, and the uniqueness of access point names.
 * A generated name is a pure function of the construct path and of settings that cannot change in
 * place, so it is the same on every synth and nothing is renamed (and replaced) by accident.
 */

/**
 * A bucket name from the construct path, the account and the Region: the same on every synth, so
 * that the bucket keeps its name (and is never replaced) whoever references it.
 */
export function generateBucketName(bucket: IConstruct): string {
  const stack = Stack.of(bucket);
  const where = [stack.account, stack.region].filter((v) => !Token.isUnresolved(v)).join('/');
  const hash = createHash('sha256').update(`${bucket.node.path}|${where}`).digest('hex').slice(0, 12);
  const words = bucket.node.path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, 63 - hash.length - 1).replace(/-+$/, '');
  const name = words ? `${words}-${hash}` : hash;
  return bucketNameProblems(name).length === 0 ? name : `bucket-${hash}`;
}

/**
 * An access point name S3 accepts, derived from the construct path and from the settings that
 * cannot change after creation (`fixedSettings`): lowercase words and hyphens, then a hash, at most
 * 50 characters.
 *
 * CloudFormation replaces an access point when its bucket, bucket account or VPC changes, by
 * creating the new one before deleting the old, which fails when both have the same name; and S3
 * cannot change Block Public Access at all, while CloudFormation treats that as an update. With
 * these settings in the hash, any such change gives a new name, so the replacement succeeds and
 * the new settings apply.
 */
export function generateAccessPointName(path: string, fixedSettings: string): string {
  const hash = createHash('sha256').update(path).update(fixedSettings).digest('hex').slice(0, 8);
  const words = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 50 - hash.length - 1).replace(/^-+|-+$/g, '');
  return words ? `${words}-${hash}` : hash;
}

/**
 * Checks that access point names are unique in each account and Region of the app, once per stack
 * when the app is validated: a child of the stack, made by its first access point. The names are
 * read from the construct tree (`nameOf` gives a construct's claim, or undefined); stacks of other
 * environments are skipped, so each check stays small.
 */
export class UniqueNameCheck extends Construct {
  /** The check of `scope`'s stack, made on first use. */
  public static ensure(scope: IConstruct, nameOf: (c: IConstruct) => string | undefined): void {
    const stack = Stack.of(scope);
    if (!stack.node.tryFindChild(UniqueNameCheck.ID)) {
      new UniqueNameCheck(stack, nameOf);
    }
  }

  private static readonly ID = 'CrossAccountAccessPointNames';

  private constructor(private readonly stack: Stack, private readonly nameOf: (c: IConstruct) => string | undefined) {
    super(stack, UniqueNameCheck.ID);
    this.node.addValidation({ validate: () => this.validate() });
  }

  private validate(): string[] {
    const here = this.stack;
    const pathsByName = new Map<string, string[]>();
    const visit = (c: IConstruct): void => {
      if (Stack.isStack(c) && (c.account !== here.account || c.region !== here.region)) {
        return;
      }
      const name = this.nameOf(c);
      if (name !== undefined && !Token.isUnresolved(name)) {
        pathsByName.set(name, [...(pathsByName.get(name) ?? []), c.node.path]);
      }
      c.node.children.forEach(visit);
    };
    visit(here.node.root);
    const errors: string[] = [];
    for (const [name, paths] of pathsByName) {
      const mine = paths.filter((p) => p === here.node.path || p.startsWith(`${here.node.path}/`));
      for (const path of paths.length > 1 ? mine : []) {
        errors.push(`${path}: accessPointName must be unique in its account and Region; ${JSON.stringify(name)} is also used by ${paths.filter((p) => p !== path).join(', ')}`);
      }
    }
    return errors;
  }
}
