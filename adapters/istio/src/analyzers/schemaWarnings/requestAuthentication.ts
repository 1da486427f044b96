import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { arr, specOf } from '../common';
import { emptyMatchLabels } from './matchLabelsSelector';
import type { SchemaWarning } from './warning';
import { absent, obj } from './warning';

const KEY_TYPES = ['RSA', 'EC', 'OKP', 'oct'];

/**
 * The keys of inline JWKS (a set, or one key), or undefined where Istio's parser would fail (not
 * JSON, a key of an unknown type): then Istio gives no warning.
 */
function jwksKeys(jwks: string): Array<Record<string, any>> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(jwks);
  } catch {
    return undefined;
  }
  const value = obj(parsed);
  let keys: Array<Record<string, any>>;
  if (Array.isArray(value.keys)) keys = value.keys.map(obj);
  else if (!absent(value.kty)) keys = [value];
  else return undefined;
  return keys.some(k => !KEY_TYPES.includes(k.kty)) ? undefined : keys;
}

/** A RequestAuthentication's warnings: a selector without labels, private keys in inline JWKS. */
export function requestAuthenticationWarnings(
  policy: KubeObject,
): SchemaWarning[] {
  const spec = specOf(policy);
  const out = emptyMatchLabels(spec.selector, '/spec/selector');
  arr(spec.jwtRules).forEach((rule, i) => {
    const jwks = obj(rule).jwks;
    if (typeof jwks !== 'string' || jwks === '') return;
    // A symmetric key is secret material too; the others are private with their `d`.
    jwksKeys(jwks)?.forEach((key, k) => {
      if (key.kty === 'oct' || !absent(key.d))
        out.push({
          path: `/spec/jwtRules/${i}/jwks`,
          text: `jwks key at index ${k} contains private key material; only public keys are used for verification`,
        });
    });
  });
  return out;
}
