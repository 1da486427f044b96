import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { specOf } from '../common';
import { emptyMatchLabels } from './matchLabelsSelector';
import type { SchemaWarning } from './warning';

/** A PeerAuthentication's one warning: a selector without labels. */
export function peerAuthenticationWarnings(
  policy: KubeObject,
): SchemaWarning[] {
  return emptyMatchLabels(specOf(policy).selector, '/spec/selector');
}
