import { startKubeSimInstance, KubeSimInstance } from '../sim';
import { eventually } from '../__testUtils__/kubectl';

jest.setTimeout(180_000);

const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const AGG =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('the HTTP API', () => {
  let sim: KubeSimInstance;
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${sim.token}`,
        'Content-Type': 'application/json',
        ...headers,
      },
      body:
        typeof body === 'string' || body === undefined
          ? body
          : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON (logs, YAML)
    }
    return { status: res.status, headers: res.headers, text, json };
  };

  /** Reads a watch stream until `until` says stop (or the server closes it). */
  const watch = async (
    path: string,
    until: (events: any[]) => boolean,
    headers: Record<string, string> = {},
  ) => {
    const ctrl = new AbortController();
    const res = await fetch(`${sim.url}${path}`, {
      headers: { Authorization: `Bearer ${sim.token}`, ...headers },
      signal: ctrl.signal,
    });
    const events: any[] = [];
    const reader = res.body!.getReader();
    let buf = '';
    let closed = false;
    const pump = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += Buffer.from(value).toString('utf8');
          const lines = buf.split('\n');
          buf = lines.pop()!;
          for (const line of lines) events.push(JSON.parse(line));
        }
      } catch {
        // aborted
      }
      closed = true;
    })();
    return {
      events,
      status: res.status,
      get closed() {
        return closed;
      },
      async wait() {
        await eventually(() => until(events) || closed);
      },
      async stop() {
        ctrl.abort();
        await pump;
      },
    };
  };

  beforeAll(async () => {
    sim = await startKubeSimInstance(
      { gitVersion: 'v1.30.2' },
      { podStartDelayMs: 30, bookmarkIntervalMs: 100, historySize: 200 },
    );
  });
  afterAll(() => sim.close());

  it('reports the version and serves both discovery shapes', async () => {
    const v = await call('GET', '/version');
    expect(v.json).toMatchObject({
      major: '1',
      minor: '30',
      gitVersion: 'v1.30.2',
      platform: 'linux/amd64',
    });
    const agg = await call('GET', '/apis', undefined, { Accept: AGG });
    expect(agg.headers.get('content-type')).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const apps = agg.json.items.find((g: any) => g.metadata.name === 'apps');
    const deploy = apps.versions[0].resources.find(
      (r: any) => r.resource === 'deployments',
    );
    expect(deploy).toMatchObject({
      scope: 'Namespaced',
      singularResource: 'deployment',
      shortNames: ['deploy'],
      categories: ['all'],
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    });
    expect(deploy.subresources.map((s: any) => s.subresource)).toEqual([
      'status',
      'scale',
    ]);
    const core = await call('GET', '/api', undefined, { Accept: AGG });
    expect(
      core.json.items[0].versions[0].resources
        .find((r: any) => r.resource === 'pods')
        .subresources.map((s: any) => s.subresource),
    ).toEqual(['status', 'log']);
    const legacy = await call('GET', '/apis');
    expect(legacy.json.kind).toBe('APIGroupList');
    expect(
      legacy.json.groups.find((g: any) => g.name === 'apps').preferredVersion,
    ).toEqual({ groupVersion: 'apps/v1', version: 'v1' });
    expect((await call('GET', '/api')).json).toMatchObject({
      kind: 'APIVersions',
      versions: ['v1'],
    });
    const rl = await call('GET', '/apis/apps/v1');
    expect(
      rl.json.resources.find((r: any) => r.name === 'deployments/scale'),
    ).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });

  it('serves OpenAPI v3 with fieldValidation on patch operations, and v2 as JSON or protobuf', async () => {
    const index = await call('GET', '/openapi/v3');
    const url = index.json.paths['apis/apps/v1'].serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
    const doc = (await call('GET', url)).json;
    const patch =
      doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']
        .patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    expect(patch.parameters.map((p: any) => p.name)).toContain(
      'fieldValidation',
    );
    const schema = doc.components.schemas['io.k8s.api.apps.v1.Deployment'];
    expect(schema['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ]);
    expect(
      doc.components.schemas['io.k8s.api.core.v1.Container'].properties.image
        .type,
    ).toBe('string');
    const v2 = await call('GET', '/openapi/v2');
    expect(v2.json.swagger).toBe('2.0');
    expect(
      v2.json.definitions['io.k8s.api.apps.v1.Deployment'].properties.spec.$ref,
    ).toBe('#/definitions/io.k8s.api.apps.v1.DeploymentSpec');
    const pb = await fetch(`${sim.url}/openapi/v2`, {
      headers: {
        Authorization: `Bearer ${sim.token}`,
        Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      },
    });
    expect(pb.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await pb.arrayBuffer()).subarray(0, 5)).toEqual(
      Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30]),
    );
  });

  it('negotiates Table output with PartialObjectMetadata or full objects', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 't1' },
      data: { a: '1' },
    });
    const t = await call(
      'GET',
      '/api/v1/namespaces/default/configmaps?limit=500',
      undefined,
      { Accept: TABLE },
    );
    expect(t.headers.get('content-type')).toBe(
      'application/json;as=Table;v=v1;g=meta.k8s.io',
    );
    expect(t.json.kind).toBe('Table');
    expect(t.json.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'Data',
      'Age',
    ]);
    const row = t.json.rows.find((r: any) => r.cells[0] === 't1');
    expect(row.cells[1]).toBe(1);
    expect(row.object).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 't1' },
    });
    const full = await call(
      'GET',
      '/api/v1/namespaces/default/configmaps/t1?includeObject=Object',
      undefined,
      { Accept: TABLE },
    );
    expect(full.json.rows[0].object.data).toEqual({ a: '1' });
    const yaml = await call(
      'GET',
      '/api/v1/namespaces/default/configmaps/t1',
      undefined,
      { Accept: 'application/yaml' },
    );
    expect(yaml.text).toContain('kind: ConfigMap');
  });

  it('answers Status errors for bad requests', async () => {
    const unauth = await fetch(`${sim.url}/api/v1/pods`);
    expect(unauth.status).toBe(401);
    const malformed = await call(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      '{"metadata":',
    );
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
    });
    const yamlBad = await call(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      'a: [',
      { 'Content-Type': 'application/yaml' },
    );
    expect(yamlBad.status).toBe(400);
    const fromYaml = await call(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      'metadata: {name: y1}\ndata: {k: v}\n',
      { 'Content-Type': 'application/yaml' },
    );
    expect(fromYaml.status).toBe(201);
    expect(
      (await call('POST', '/api/v1/namespaces/default/configmaps/x', {}))
        .status,
    ).toBe(405);
    const proto = await call(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      'x',
      { 'Content-Type': 'application/vnd.kubernetes.protobuf' },
    );
    expect(proto.status).toBe(415);
    const badPatch = await call(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/t1',
      '{}',
      { 'Content-Type': 'text/plain' },
    );
    expect(badPatch.status).toBe(415);
    expect((await call('GET', '/apis/nope/v1/things')).json).toMatchObject({
      code: 404,
      message: 'the server could not find the requested resource',
    });
    const wrongKind = await call(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'z' } },
    );
    expect(wrongKind.status).toBe(400);
    const noNs = await call('POST', '/api/v1/namespaces/nope/configmaps', {
      metadata: { name: 'z' },
    });
    expect(noNs.json).toMatchObject({
      code: 404,
      message: 'namespaces "nope" not found',
    });
    const badSel = await call('GET', '/api/v1/pods?labelSelector=a%20in%20(');
    expect(badSel.status).toBe(400);
  });

  it('honours fieldValidation Warn/Ignore/Strict and dryRun on every verb', async () => {
    const warn = await call(
      'POST',
      '/api/v1/namespaces/default/configmaps?fieldValidation=Warn',
      { metadata: { name: 'fv' }, bogus: 1 },
    );
    expect(warn.status).toBe(201);
    expect(warn.headers.get('warning')).toBe(
      '299 - "unknown field \\"bogus\\""',
    );
    expect(warn.json.bogus).toBeUndefined();
    const ignore = await call(
      'POST',
      '/api/v1/namespaces/default/configmaps?fieldValidation=Ignore',
      { metadata: { name: 'fv2' }, bogus: 1 },
    );
    expect(ignore.headers.get('warning')).toBeNull();
    const strict = await call(
      'POST',
      '/api/v1/namespaces/default/configmaps?fieldValidation=Strict',
      { metadata: { name: 'fv3' }, bogus: 1 },
    );
    expect(strict.json).toMatchObject({
      code: 400,
      message:
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"',
    });

    const dry = await call(
      'POST',
      '/api/v1/namespaces/default/configmaps?dryRun=All',
      { metadata: { name: 'dry' } },
    );
    expect(dry.status).toBe(201);
    expect(dry.json.metadata.uid).toBeDefined();
    expect(
      (await call('GET', '/api/v1/namespaces/default/configmaps/dry')).status,
    ).toBe(404);
    const dryPatch = await call(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/fv?dryRun=All',
      { data: { x: 'y' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(dryPatch.json.data).toEqual({ x: 'y' });
    expect(
      (await call('GET', '/api/v1/namespaces/default/configmaps/fv')).json.data,
    ).toBeUndefined();
    const dryPut = await call(
      'PUT',
      '/api/v1/namespaces/default/configmaps/fv?dryRun=All',
      { metadata: { name: 'fv' }, data: { p: 'q' } },
    );
    expect(dryPut.json.data).toEqual({ p: 'q' });
    expect(
      (
        await call(
          'DELETE',
          '/api/v1/namespaces/default/configmaps/fv?dryRun=All',
        )
      ).status,
    ).toBe(200);
    expect(
      (await call('GET', '/api/v1/namespaces/default/configmaps/fv')).status,
    ).toBe(200);
    const dryApply = await call(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/newdry?dryRun=All&fieldManager=x',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: newdry}\n',
      { 'Content-Type': 'application/apply-patch+yaml' },
    );
    expect(dryApply.status).toBe(201);
    expect(
      (await call('GET', '/api/v1/namespaces/default/configmaps/newdry'))
        .status,
    ).toBe(404);
  });

  it('bumps generation only on spec changes and enforces resourceVersion on PUT', async () => {
    const d = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'g' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'g' } },
        template: {
          metadata: { labels: { app: 'g' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    };
    const created = (
      await call('POST', '/apis/apps/v1/namespaces/default/deployments', d)
    ).json;
    expect(created.metadata.generation).toBe(1);
    const labelled = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/g',
      { metadata: { labels: { x: '1' } } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(labelled.json.metadata.generation).toBe(1);
    const status = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/g/status',
      { status: { replicas: 7 } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(status.json.metadata.generation).toBe(1);
    const spec = await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/g',
      { spec: { replicas: 1 } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    expect(spec.json.metadata.generation).toBe(2);
    const stale = await call(
      'PUT',
      '/apis/apps/v1/namespaces/default/deployments/g',
      {
        ...d,
        metadata: {
          name: 'g',
          resourceVersion: created.metadata.resourceVersion,
        },
      },
    );
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on deployments.apps "g": the object has been modified; please apply your changes to the latest version and try again',
    });
    const dup = await call(
      'POST',
      '/apis/apps/v1/namespaces/default/deployments',
      d,
    );
    expect(dup.json).toMatchObject({
      code: 409,
      reason: 'AlreadyExists',
      message: 'deployments.apps "g" already exists',
    });
    const gen = await call('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { generateName: 'gen-' },
    });
    expect(gen.json.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
  });

  it('watches: initial ADDED without resourceVersion, no replay after one, selector transitions, bookmarks, timeout, 410', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'w0', labels: { w: 'yes' } },
    });
    const list = await call(
      'GET',
      '/api/v1/namespaces/default/configmaps?labelSelector=w%3Dyes',
    );
    const rv = list.json.metadata.resourceVersion;

    const fromZero = await watch(
      '/api/v1/namespaces/default/configmaps?watch=1&labelSelector=w%3Dyes',
      evs => evs.length >= 1,
    );
    await fromZero.wait();
    expect(
      fromZero.events.map(e => `${e.type} ${e.object.metadata.name}`),
    ).toEqual(['ADDED w0']);
    await fromZero.stop();

    const w = await watch(
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}&labelSelector=w%3Dyes&allowWatchBookmarks=true`,
      evs =>
        evs.some(
          e => e.type === 'DELETED' && e.object.metadata.name === 'w1',
        ) && evs.some(e => e.type === 'BOOKMARK'),
    );
    await call('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'w1', labels: { w: 'yes' } },
    });
    await call(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/w1',
      { data: { a: '1' } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    await call(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/w1',
      { metadata: { labels: { w: 'no' } } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    await w.wait();
    await w.stop();
    const named = w.events
      .filter(e => e.type !== 'BOOKMARK')
      .map(e => `${e.type} ${e.object.metadata.name}`);
    expect(named).toEqual(['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
    const bookmark = w.events.find(e => e.type === 'BOOKMARK');
    expect(bookmark.object).toMatchObject({
      kind: 'ConfigMap',
      apiVersion: 'v1',
    });
    expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThan(
      Number(rv),
    );
    const rvs = w.events
      .filter(e => e.type !== 'BOOKMARK')
      .map(e => Number(e.object.metadata.resourceVersion));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));

    const timed = await watch(
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}&timeoutSeconds=1`,
      () => false,
    );
    await timed.wait();
    expect(timed.closed).toBe(true);

    const table = await watch(
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`,
      evs => evs.length >= 1,
      { Accept: TABLE },
    );
    await table.wait();
    await table.stop();
    expect(table.events[0].object).toMatchObject({
      kind: 'Table',
      rows: [{ cells: ['w1', 0, expect.any(String)] }],
    });

    for (let i = 0; i < 250; i++)
      await call('POST', '/api/v1/namespaces/default/secrets', {
        metadata: { name: `flood-${i}` },
      });
    const gone = await watch(
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`,
      evs => evs.length >= 1,
    );
    await gone.wait();
    expect(gone.events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
    await eventually(() => gone.closed);
  });

  it('deletes with finalizers, deletecollection and foreground propagation', async () => {
    await call('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'fin', finalizers: ['example.com/hold'] },
    });
    const del = await call(
      'DELETE',
      '/api/v1/namespaces/default/configmaps/fin',
      { propagationPolicy: 'Background' },
    );
    expect(del.status).toBe(202);
    expect(del.json.metadata.deletionTimestamp).toBeDefined();
    expect(
      (await call('GET', '/api/v1/namespaces/default/configmaps/fin')).status,
    ).toBe(200);
    await call(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/fin',
      [{ op: 'remove', path: '/metadata/finalizers' }],
      { 'Content-Type': 'application/json-patch+json' },
    );
    expect(
      (await call('GET', '/api/v1/namespaces/default/configmaps/fin')).status,
    ).toBe(404);

    for (const n of ['dc1', 'dc2'])
      await call('POST', '/api/v1/namespaces/default/configmaps', {
        metadata: { name: n, labels: { batch: 'x' } },
      });
    const dc = await call(
      'DELETE',
      '/api/v1/namespaces/default/configmaps?labelSelector=batch%3Dx',
    );
    expect(dc.json.items.map((i: any) => i.metadata.name)).toEqual([
      'dc1',
      'dc2',
    ]);
    expect(
      (
        await call(
          'GET',
          '/api/v1/namespaces/default/configmaps?labelSelector=batch%3Dx',
        )
      ).json.items,
    ).toEqual([]);

    const ok = await call('DELETE', '/api/v1/namespaces/default/configmaps/t1');
    expect(ok.json).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 't1', kind: 'configmaps' },
    });
  });

  it('streams pod logs with follow and rejects unknown containers', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', {
      metadata: { name: 'lp' },
      spec: {
        containers: [
          { name: 'a', image: 'x' },
          { name: 'b', image: 'y' },
        ],
      },
    });
    await eventually(
      async () =>
        (
          await call('GET', '/api/v1/namespaces/default/pods/lp')
        ).json.status.phase === 'Running',
    );
    const noContainer = await call(
      'GET',
      '/api/v1/namespaces/default/pods/lp/log',
    );
    expect(noContainer.json.message).toBe(
      'a container name must be specified for pod lp, choose one of: [a b]',
    );
    const logs = await call(
      'GET',
      '/api/v1/namespaces/default/pods/lp/log?container=b&tailLines=1',
    );
    expect(logs.headers.get('content-type')).toBe('text/plain');
    expect(logs.text).toBe('[kube-sim] image y (simulated: no process runs)\n');
    const ctrl = new AbortController();
    const res = await fetch(
      `${sim.url}/api/v1/namespaces/default/pods/lp/log?container=a&follow=true`,
      {
        headers: { Authorization: `Bearer ${sim.token}` },
        signal: ctrl.signal,
      },
    );
    const reader = res.body!.getReader();
    const first = Buffer.from((await reader.read()).value!).toString();
    expect(first).toContain('container a started');
    // the stream ends when the pod goes away
    await call('DELETE', '/api/v1/namespaces/default/pods/lp');
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
  });
});
