import * as fs from 'fs';
import * as path from 'path';

/*
 * The artifacts of a synthesized cloud assembly, nested assemblies (Stages) included: what both
 * the reader of published boundaries and the access report walk.
 */

/** An artifact of `manifest.json`, with the directory its files are relative to. */
export interface AssemblyArtifact {
  readonly id: string;
  readonly directory: string;
  readonly manifestFile: string;
  readonly artifact: any;
}

/**
 * Every artifact of the cloud assembly in `directory` and of its nested assemblies, but the nested
 * assemblies themselves. Throws a message that reads after the directory's name when it holds no
 * cloud assembly.
 */
export function assemblyArtifacts(directory: string): AssemblyArtifact[] {
  const manifestFile = path.join(directory, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`is not a cloud assembly: ${manifestFile} does not exist (cdk synth writes one, into cdk.out by default)`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  return Object.entries<any>(manifest.artifacts ?? {}).flatMap(([id, artifact]) =>
    artifact.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string'
      ? assemblyArtifacts(path.join(directory, artifact.properties.directoryName))
      : [{ id, directory, manifestFile, artifact }]);
}
