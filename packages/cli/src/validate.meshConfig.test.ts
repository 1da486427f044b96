import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import { LinkerdAdapter } from '@meshstage/plugin-mesh-backend-module-linkerd';
import path from 'node:path';
import { runCli } from './index';
import type { CliIo } from './validate';

const DIR = path.join(__dirname, '__fixtures__', 'mesh-config');

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: t => (stdout += t),
    stderr: t => (stderr += t),
    cwd: DIR,
    openCluster: () => {
      throw new Error('no cluster in these tests');
    },
    adapters: [new IstioAdapter(), new LinkerdAdapter()],
  };
  const code = await runCli(['validate', ...argv], io);
  return { code, stdout, stderr };
}

const findings = (stdout: string) =>
  JSON.parse(stdout).findings.map((f: any) => [
    f.code,
    f.istioCode,
    `${f.resource.kind}/${f.resource.name}`,
  ]);

describe('meshstage validate --mesh-config / --mesh-networks', () => {
  it('analyzes with the mesh config: no default ingress gateway when the ingress controller is OFF', async () => {
    const without = await cli('gateway.yaml', '--format', 'json');
    expect(without.code).toBe(0);
    expect(findings(without.stdout)).toEqual([]);

    const off = await cli(
      'gateway.yaml',
      '--mesh-config',
      'ingress-off.yaml',
      '--format',
      'json',
    );
    expect(off.stderr).toBe('');
    expect(findings(off.stdout)).toEqual([
      ['MS0209', 'IST0101', 'Gateway/shop-gateway'],
    ]);
  });

  it('exits 2 naming the file, line and field Istio would reject', async () => {
    expect(await cli('gateway.yaml', '--mesh-config', 'bad-type.yaml')).toEqual(
      {
        code: 2,
        stdout: '',
        stderr:
          'meshstage: --mesh-config bad-type.yaml:4:5: defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE: must be a string, not true\n',
      },
    );
    expect(
      await cli('gateway.yaml', '--mesh-networks', 'networks-bad.yaml'),
    ).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'meshstage: --mesh-networks networks-bad.yaml:7:9: networks.east.gateways[0].port: must be a port in 1..65535\n',
    });
    const missing = await cli('gateway.yaml', '--mesh-config', 'nope.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^meshstage: cannot read --mesh-config: nope\.yaml: ENOENT\n$/,
    );
  });

  it('warns about fields Istio ignores and goes on', async () => {
    const r = await cli('gateway.yaml', '--mesh-config', 'typo.yaml');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'meshstage: warning: --mesh-config typo.yaml:1:1: rootNamespce: unknown field, ignored (as Istio does)\n',
    );
  });
});
