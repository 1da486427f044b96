import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor, podTemplateOf } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, SECURITY } from './common';

const CODE: IstioCode = {
  code: 'MS0269',
  name: 'JwksUriFetchUnrestricted',
  severity: 'warning',
  summary:
    'RequestAuthentications exist while istiod does not restrict where it fetches JWKS from (no `BLOCKED_CIDRS_IN_JWKS_URIS`), so a jwksUri could make istiod reach internal addresses.',
  help: 'Set `BLOCKED_CIDRS_IN_JWKS_URIS` on istiod (e.g. the cluster and metadata ranges: `10.0.0.0/8,169.254.169.254/32`).',
  istioCode: 'IST0175',
};

const ENV = 'BLOCKED_CIDRS_IN_JWKS_URIS';

/**
 * MS0269 (IST0175): with any RequestAuthentication in the snapshot, istiod Deployments (labelled
 * `app: istiod`) whose containers set no non-empty `BLOCKED_CIDRS_IN_JWKS_URIS`.
 * @public
 */
export const jwksCidrsAnalyzer: Analyzer = {
  id: 'istio.jwks-cidrs',
  description: CODE.summary,
  inputs: [
    inputs.requestAuthentication,
    { apiVersion: 'apps/v1', kind: 'Deployment' },
  ],
  codes: [CODE],
  analyze(snapshot) {
    const policies = snapshot.list(SECURITY, 'RequestAuthentication');
    if (policies.length === 0) return [];
    const names = policies.map(
      p => `${p.metadata.namespace}/${p.metadata.name}`,
    );
    const shown =
      names.length <= 5
        ? names.join(', ')
        : `${names.slice(0, 5).join(', ')}, and ${names.length - 5} more`;
    return snapshot.list('apps/v1', 'Deployment').flatMap(d => {
      if (d.metadata.labels?.app !== 'istiod') return [];
      const t = podTemplateOf(d);
      const restricted = arr(t?.spec.containers).some((c: any) =>
        arr(c?.env).some((e: any) => e?.name === ENV && e?.value),
      );
      if (restricted) return [];
      return [
        findingFor(
          CODE,
          d,
          t ? `${t.specPath}/containers` : '/spec',
          `istiod fetches JWKS for ${names.length} RequestAuthentication(s) (${shown}) without ${ENV}: a jwksUri could make it reach internal addresses.`,
        ),
      ];
    });
  },
};
