import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type {
  BenchmarkProfile,
  ResolvedCanaryGate,
  UpgradeRequest,
} from '@meshstage/plugin-mesh-common';
import type { MeshDetection } from '@meshstage/plugin-mesh-node';
import {
  type BenchmarkLimits,
  checkProfileLimits,
} from '../../benchmark/limits';
import {
  type ProfileSpec,
  storedProfileSpec,
} from '../../benchmark/profileSchema';
import { serviceNamespace } from './targetNamespace';

/** What resolving a gate reads: stored profiles, the benchmark limits, the clusters. */
export interface GateResolverOptions {
  getProfile(id: string): Promise<BenchmarkProfile | undefined>;
  limits: BenchmarkLimits;
  /** The configured clusters, which in-cluster profiles must name. */
  clusterNames(): string[];
}

const invalid = (field: string, message: string) =>
  new InputError(`Invalid body field '${field}': ${message}`);

/**
 * Turns a canary upgrade's `gate` into what its plan runs: the profile as it will run (a stored
 * one read now, so later edits do not change this operation) within the operator's benchmark
 * limits, and the namespace to move first, which must be in the mesh. Every problem is a 400
 * naming the field.
 */
export async function resolveCanaryGate(
  request: UpgradeRequest,
  detection: MeshDetection,
  options: GateResolverOptions,
): Promise<ResolvedCanaryGate> {
  const gate = request.gate!;
  if (request.strategy !== 'canary') {
    throw invalid(
      'gate',
      `only canary upgrades can be gated (strategy is ${request.strategy})`,
    );
  }
  const clusters = options.clusterNames();
  let profile: ProfileSpec;
  let profileId: string | undefined;
  if (typeof gate.profile === 'string') {
    const stored = await options.getProfile(gate.profile);
    if (!stored) {
      throw invalid('gate.profile', `no benchmark profile ${gate.profile}`);
    }
    profileId = stored.id;
    profile = storedProfileSpec(stored);
    // Limits may have been lowered since the profile was saved.
    checkProfileLimits(profile, options.limits, {
      where: `field of gate profile ${stored.id}`,
      clusters,
    });
  } else {
    // The request schema applied the profile schema's defaults.
    profile = gate.profile as ProfileSpec;
    if (profile.entityRef) {
      try {
        profile = {
          ...profile,
          entityRef: stringifyEntityRef(parseEntityRef(profile.entityRef)),
        };
      } catch (error) {
        throw invalid('gate.profile.entityRef', (error as Error).message);
      }
    }
    checkProfileLimits(profile, options.limits, {
      prefix: 'gate.profile.',
      clusters,
    });
  }

  const target = profile.endpoints[0].url;
  const namespace = gate.namespace ?? serviceNamespace(target);
  if (!namespace) {
    throw invalid(
      'gate.namespace',
      `required: the profile's first endpoint (${target}) names no cluster Service (<service>.<namespace>.svc.cluster.local) to take it from`,
    );
  }
  const injected = detection.namespaces.filter(n => n.injectionEnabled);
  if (!injected.some(n => n.name === namespace)) {
    throw invalid(
      'gate.namespace',
      `namespace ${namespace}${
        gate.namespace ? '' : ` (from the profile's endpoint ${target})`
      } is not in the ${request.mesh} mesh on cluster ${
        request.cluster
      }; namespaces in it: ${injected.map(n => n.name).join(', ') || 'none'}`,
    );
  }
  return {
    namespace,
    profile,
    ...(profileId ? { profileId } : {}),
    budget: gate.budget,
  };
}
