import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { arr, specOf } from '../common';
import { emptyMatchLabels } from './matchLabelsSelector';
import type { SchemaWarning } from './warning';
import { absent, obj } from './warning';

/**
 * A Telemetry's warnings: a selector without labels, a tag override with an empty name, more than
 * one tracing entry, more than one provider in a tracing entry.
 */
export function telemetryWarnings(telemetry: KubeObject): SchemaWarning[] {
  const spec = specOf(telemetry);
  const out = emptyMatchLabels(spec.selector, '/spec/selector');
  arr(spec.metrics).forEach((metrics, i) => {
    if (absent(metrics)) return;
    arr(obj(metrics).overrides).forEach((override, j) => {
      if (!absent(override) && '' in obj(obj(override).tagOverrides))
        out.push({
          path: `/spec/metrics/${i}/overrides/${j}/tagOverrides`,
          text: 'tagOverrides.name may not be empty',
        });
    });
  });
  const tracing = arr(spec.tracing);
  if (tracing.length > 1)
    out.push({
      path: '/spec/tracing',
      text: 'multiple tracing is not currently supported',
    });
  tracing.forEach((entry, i) => {
    if (!absent(entry) && arr(obj(entry).providers).length > 1)
      out.push({
        path: `/spec/tracing/${i}/providers`,
        text: 'multiple providers is not currently supported',
      });
  });
  return out;
}
