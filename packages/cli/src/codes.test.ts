import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import { LinkerdAdapter } from '@meshstage/plugin-mesh-backend-module-linkerd';
import { findingCodes, selectAnalyzers } from '@meshstage/validation';
import fs from 'node:fs';
import path from 'node:path';

describe('finding codes', () => {
  const { analyzers } = selectAnalyzers({
    adapters: [new IstioAdapter(), new LinkerdAdapter()],
  });
  const codes = findingCodes(analyzers);

  it('are unique across analyzers and adapters', () => {
    const all = analyzers.flatMap(a => a.codes.map(c => c.code));
    const owners = new Map<string, string>();
    for (const a of analyzers) {
      for (const c of a.codes) {
        // One code belongs to one analyzer.
        expect([undefined, a.id]).toContain(owners.get(c.code));
        owners.set(c.code, a.id);
      }
    }
    expect(new Set(all).size).toBe(owners.size);
  });

  it('each have an entry in docs/validation-codes.md', () => {
    const doc = fs.readFileSync(
      path.resolve(__dirname, '../../../docs/validation-codes.md'),
      'utf8',
    );
    const documented = [...doc.matchAll(/^### (MS\d{4})$/gm)].map(m => m[1]);
    expect(documented).toEqual(codes.map(c => c.code));
    for (const c of codes.filter(x => x.istioCode)) {
      const entry = doc.slice(doc.indexOf(`### ${c.code}`)).split('\n### ')[0];
      expect(entry).toContain(c.istioCode);
    }
  });
});
