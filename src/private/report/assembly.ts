import * as fs from 'fs';
import * as path from 'path';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { assemblyArtifacts } from '../cloud-assembly';

/*
 * The stacks of a synthesized cloud assembly (nested Stage assemblies included), with their
 * templates and environments, and the template values the report needs made plain: references
 * to buckets and pseudo parameters become the strings they stand for, anything else a marker.
 */

type Json = any;

/** A stack of the assembly. */
export interface AssemblyStack {
  /** The stack's construct path (display name), such as `Owner` or `Prod/Owner`. */
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly template: Json;
  readonly templateFile: string;
}

/** Every stack of the cloud assembly in `directory`, nested assemblies included. */
export function readAssembly(directory: string): AssemblyStack[] {
  return assemblyArtifacts(directory)
    .filter(({ artifact }) => artifact.type === 'aws:cloudformation:stack')
    .map(({ id, directory: at, artifact }) => {
      const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '') ?? [];
      const templateFile = path.join(at, artifact.properties.templateFile);
      return {
        name: artifact.displayName ?? id,
        account: account ?? 'unknown-account',
        region: region ?? 'unknown-region',
        template: JSON.parse(fs.readFileSync(templateFile, 'utf8')),
        templateFile,
      };
    });
}

/** Marks a value the report cannot know from the template alone. */
export const UNKNOWN = '<deploy-time value>';

/**
 * A template value as plain JSON: `Ref`s to buckets and their `Arn`s, pseudo parameters and joins
 * are resolved; other intrinsics become `UNKNOWN`.
 */
export function plain(value: Json, stack: AssemblyStack): Json {
  if (Array.isArray(value)) {
    return value.map((v) => plain(v, stack));
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if ('Ref' in value) {
    return refValue(value.Ref, stack);
  }
  if ('Fn::GetAtt' in value) {
    const [id, attribute] = value['Fn::GetAtt'];
    const name = bucketName(id, stack);
    return attribute === 'Arn' && name !== undefined ? `arn:${partition(stack)}:s3:::${name}` : UNKNOWN;
  }
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'];
    const resolved = (parts as Json[]).map((p) => plain(p, stack));
    return resolved.some((p) => typeof p !== 'string') ? UNKNOWN : resolved.join(separator);
  }
  if (Object.keys(value).some((k) => k.startsWith('Fn::'))) {
    return UNKNOWN;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, stack)]));
}

function refValue(id: string, stack: AssemblyStack): string {
  switch (id) {
    case 'AWS::Partition': return partition(stack);
    case 'AWS::AccountId': return stack.account;
    case 'AWS::Region': return stack.region;
    case 'AWS::URLSuffix': return 'amazonaws.com';
    default: return bucketName(id, stack) ?? UNKNOWN;
  }
}

/** The name of the bucket with logical ID `id` in the stack, when its template gives it. */
export function bucketName(id: string, stack: AssemblyStack): string | undefined {
  const resource = stack.template.Resources?.[id];
  const name = resource?.Type === 'AWS::S3::Bucket' ? resource.Properties?.BucketName : undefined;
  return typeof name === 'string' ? name : undefined;
}

export function partition(stack: AssemblyStack): string {
  return RegionInfo.get(stack.region).partition ?? 'aws';
}

/** The resources of a type in a stack, by logical ID. */
export function resourcesOf(stack: AssemblyStack, type: string): Array<[string, Json]> {
  return Object.entries<Json>(stack.template.Resources ?? {}).filter(([, r]) => r.Type === type);
}
