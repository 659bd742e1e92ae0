import { readFileSync } from 'fs';
import { Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SharingManifest, validateManifest } from './private/manifest';
import { buildSharingStacks } from './private/sharing-app';

/**
 * A sharing manifest as CDK Stages: an owner stage per owner account and Region (a stack per
 * dataset), and a consumer stage per subscribing account and Region. Add the owner stages to a
 * CDK Pipeline first, then the consumer stages to one wave, which deploys them in parallel.
 *
 * The manifest is validated first; an invalid one builds nothing and throws every problem, one
 * line each (`PATH: message`).
 *
 * @example
 * declare const app: App;
 * const sharing = SharingStages.fromFile(app, 'Sharing', 'sharing.json');
 * // pipeline.addStage(sharing.ownerStages[0]); const wave = pipeline.addWave('Consumers'); ...
 */
export class SharingStages extends Construct {
  /** The stages of the manifest in `manifestPath` (JSON). */
  public static fromFile(scope: Construct, id: string, manifestPath: string): SharingStages {
    return new SharingStages(scope, id, JSON.parse(readFileSync(manifestPath, 'utf8')));
  }

  /** The stages of a manifest given as a JSON string. */
  public static fromJson(scope: Construct, id: string, manifestJson: string): SharingStages {
    return new SharingStages(scope, id, JSON.parse(manifestJson));
  }

  /** A stage per owner account and Region, with a stack per dataset. */
  public readonly ownerStages: Stage[] = [];
  /** A stage per subscribing account and Region, with its consumer stacks. */
  public readonly consumerStages: Stage[] = [];

  private constructor(scope: Construct, id: string, document: unknown) {
    super(scope, id);
    const problems = validateManifest(document);
    if (problems.length > 0) {
      throw new Error(`${this.node.path}: the sharing manifest is not valid:\n${problems.map((p) => `  ${p.path || '(document)'}: ${p.message}`).join('\n')}`);
    }
    const stages = new Map<string, Stage>();
    buildSharingStacks(this, document as SharingManifest, (role, account, region) => {
      const key = `${role === 'owner' ? 'Owner' : 'Consumer'}-${account}-${region}`;
      let stage = stages.get(key);
      if (!stage) {
        stage = new Stage(this, key, { env: { account, region } });
        stages.set(key, stage);
        (role === 'owner' ? this.ownerStages : this.consumerStages).push(stage);
      }
      return stage;
    });
  }
}
